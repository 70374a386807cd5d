"""What Microsoft Entra ID sends when it provisions: its matching filters, capitalised ops,
string booleans, bare manager ids, value filters that create, removal by value."""

import pytest

from people.models import Person

pytestmark = pytest.mark.django_db
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def entra_user(user_name="E00001", external_id="a1b2-C3d4", **extra) -> dict:
    return {
        "schemas": [USER, ENTERPRISE],
        "externalId": external_id,
        "userName": user_name,
        "active": True,
        "displayName": "Maria de la Cruz",
        "title": "Engineer",
        "emails": [{"primary": True, "type": "work", "value": "maria@example.com"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Maria de la Cruz", "familyName": "de la Cruz", "givenName": "Maria"},
        ENTERPRISE: {"department": "Claims"},
        **extra,
    }


def test_entra_matches_users_by_external_id(scim):
    scim.post("/Users", entra_user())
    exact = scim.get('/Users?filter=externalId eq "a1b2-C3d4"').json()
    assert [r["userName"] for r in exact["Resources"]] == ["E00001"]
    assert scim.get('/Users?filter=externalId eq "A1B2-c3d4"').json()["totalResults"] == 0


def test_entra_probes_with_a_user_name_nobody_has(scim):
    response = scim.get('/Users?filter=userName eq "8e0a4e33-nobody@example.com"')
    assert response.status_code == 200 and response.json()["totalResults"] == 0


def test_entra_creates_a_user_with_attributes_redefine_does_not_keep(scim):
    response = scim.post("/Users", entra_user())
    assert response.status_code == 201, response.content
    assert "title" not in response.json()
    assert response.json()[ENTERPRISE]["department"] == "Claims"


def test_entra_sends_capitalised_ops_and_string_booleans_in_one_patch(scim):
    user = scim.post("/Users", entra_user()).json()
    response = scim.patch(
        f"/Users/{user['id']}",
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "Add", "path": "externalId", "value": "new-object-id"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False and response.json()["externalId"] == "new-object-id"
    assert Person.objects.get(pk=user["id"]).active is False


def test_entra_soft_deletes_with_active_false_and_restores_with_true(scim):
    user = scim.post("/Users", entra_user()).json()
    for value, active in (("False", False), ("True", True)):
        scim.patch(f"/Users/{user['id']}", {"op": "Replace", "path": "active", "value": value})
        assert Person.objects.get(pk=user["id"]).active is active


def test_entra_writes_the_work_email_of_a_user_who_has_none(scim):
    user = scim.post("/Users", entra_user(emails=[])).json()
    response = scim.patch(
        f"/Users/{user['id']}",
        {"op": "Add", "path": 'emails[type eq "work"].value', "value": "new@example.com"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["emails"] == [{"value": "new@example.com", "type": "work"}]
    assert Person.objects.get(pk=user["id"]).email == "new@example.com"


def test_entra_sets_the_manager_as_a_bare_id(scim):
    boss = scim.post("/Users", entra_user("BOSS", "boss-oid")).json()
    user = scim.post("/Users", entra_user()).json()
    response = scim.patch(
        f"/Users/{user['id']}",
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": boss["id"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()[ENTERPRISE]["manager"]["value"] == boss["id"]
    assert Person.objects.get(pk=user["id"]).manager.external_id == "BOSS"


def test_entra_replaces_given_name_and_surname_one_at_a_time(scim):
    user = scim.post("/Users", entra_user()).json()
    scim.patch(
        f"/Users/{user['id']}",
        {"op": "Replace", "path": "name.givenName", "value": "María José"},
    )
    response = scim.patch(
        f"/Users/{user['id']}",
        {"op": "Replace", "path": "name.familyName", "value": "de la Cruz Ortega"},
    )
    assert response.json()["name"] == {
        "formatted": "María José de la Cruz Ortega",
        "givenName": "María José",
        "familyName": "de la Cruz Ortega",
    }
    assert Person.objects.get(pk=user["id"]).full_name == "María José de la Cruz Ortega"


def test_entra_adds_and_removes_group_members_by_value(scim):
    one = scim.post("/Users", entra_user("E1", "oid-1")).json()
    two = scim.post("/Users", entra_user("E2", "oid-2")).json()
    group = scim.post("/Groups", {"displayName": "Leads", "externalId": "gid-1"}).json()
    url = f"/Groups/{group['id']}"
    add = scim.patch(
        url, {"op": "Add", "path": "members", "value": [{"value": one["id"]}, {"value": two["id"]}]}
    )
    assert add.status_code == 200, add.content
    remove = scim.patch(url, {"op": "Remove", "path": "members", "value": [{"value": one["id"]}]})
    assert remove.status_code == 200, remove.content
    assert [m["value"] for m in remove.json()["members"]] == [two["id"]]


def test_entra_matches_groups_by_external_id(scim):
    scim.post("/Groups", {"displayName": "Leads", "externalId": "gid-1"})
    found = scim.get('/Groups?filter=externalId eq "gid-1"&excludedAttributes=members').json()
    assert [g["displayName"] for g in found["Resources"]] == ["Leads"]

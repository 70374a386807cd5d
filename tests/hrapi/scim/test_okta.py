"""What Okta sends when it provisions: bodies and request shapes from its SCIM 2.0 client."""

import pytest

from hrapi.models import AccessGroup
from people.models import Person

pytestmark = pytest.mark.django_db
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def okta_user(user_name="E00001", **extra) -> dict:
    return {
        "schemas": [USER],
        "userName": user_name,
        "name": {"givenName": "Maria", "familyName": "de la Cruz"},
        "emails": [{"primary": True, "value": "maria@example.com", "type": "work"}],
        "displayName": "Maria de la Cruz",
        "locale": "en-US",
        "externalId": "00u1abcdEFGH",
        "groups": [],
        "password": "never-stored-1!",
        "active": True,
        **extra,
    }


def test_okta_looks_a_user_up_by_user_name_ignoring_case(scim):
    scim.post("/Users", okta_user())
    response = scim.get('/Users?filter=userName eq "e00001"&startIndex=1&count=100')
    assert response.status_code == 200
    assert [r["userName"] for r in response.json()["Resources"]] == ["E00001"]


def test_okta_creates_a_user_and_gets_names_and_emails_back_as_sent(scim):
    response = scim.post("/Users", okta_user())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == {
        "formatted": "Maria de la Cruz",
        "givenName": "Maria",
        "familyName": "de la Cruz",
    }
    assert body["externalId"] == "00u1abcdEFGH" and body["displayName"] == "Maria de la Cruz"
    assert body["emails"] == [{"value": "maria@example.com", "type": "work", "primary": True}]
    assert "password" not in body and "groups" not in body
    person = Person.objects.get(external_id="E00001")
    assert (person.full_name, person.email) == ("Maria de la Cruz", "maria@example.com")


def test_okta_creating_a_case_variant_of_a_user_name_is_a_409(scim):
    scim.post("/Users", okta_user())
    response = scim.post("/Users", okta_user("e00001"))
    assert response.status_code == 409 and response.json()["scimType"] == "uniqueness"
    assert Person.objects.count() == 1


def test_okta_deactivates_with_patch_active_false(scim):
    user = scim.post("/Users", okta_user()).json()
    response = scim.patch(f"/Users/{user['id']}", {"op": "replace", "value": {"active": False}})
    assert response.status_code == 200 and response.json()["active"] is False
    assert Person.objects.get(pk=user["id"]).active is False


def test_okta_reactivates_with_put_active_true(scim):
    user = scim.post("/Users", okta_user(active=False)).json()
    assert Person.objects.get(pk=user["id"]).active is False
    response = scim.put(f"/Users/{user['id']}", okta_user(id=user["id"], active=True))
    assert response.status_code == 200 and Person.objects.get(pk=user["id"]).active is True


def test_okta_put_of_the_whole_user_replaces_what_it_leaves_out(scim):
    user = scim.post("/Users", okta_user(**{ENTERPRISE: {"department": "Claims"}})).json()
    body = okta_user(id=user["id"])
    del body["displayName"]
    response = scim.put(f"/Users/{user['id']}", body)
    assert response.status_code == 200
    assert ENTERPRISE not in response.json() or "department" not in response.json()[ENTERPRISE]
    assert response.json()["displayName"] == "Maria de la Cruz"  # the full name shows instead


def test_okta_pushes_a_group_then_adds_and_removes_members(scim):
    one = scim.post("/Users", okta_user("E1")).json()
    two = scim.post("/Users", okta_user("E2")).json()
    group = scim.post("/Groups", {"schemas": [], "displayName": "Pilot leads", "members": []})
    group = group.json()
    scim.patch(
        f"/Groups/{group['id']}",
        {"op": "add", "path": "members", "value": [{"value": one["id"], "display": "E1"}]},
        {"op": "add", "path": "members", "value": [{"value": two["id"], "display": "E2"}]},
    )
    scim.patch(
        f"/Groups/{group['id']}", {"op": "remove", "path": f'members[value eq "{one["id"]}"]'}
    )
    assert list(AccessGroup.objects.get().members.values_list("external_id", flat=True)) == ["E2"]


def test_okta_replaces_the_member_list_and_renames_with_an_id_in_the_value(scim):
    one = scim.post("/Users", okta_user("E1")).json()
    two = scim.post("/Users", okta_user("E2")).json()
    group = scim.post("/Groups", {"displayName": "Old", "members": [{"value": one["id"]}]}).json()
    response = scim.patch(
        f"/Groups/{group['id']}",
        {"op": "replace", "value": {"id": group["id"], "displayName": "New"}},
        {"op": "replace", "path": "members", "value": [{"value": two["id"]}]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["displayName"] == "New"
    assert [m["value"] for m in response.json()["members"]] == [two["id"]]

"""SCIM Groups (access groups, not org units) and the discovery endpoints."""

import pytest

from hrapi.models import AccessGroup, AccessGroupMembership
from people.models import OrgUnit, Person

pytestmark = pytest.mark.django_db
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def _members(scim, group) -> set[str]:
    return {m["value"] for m in scim.get(f"/Groups/{group['id']}").json().get("members", [])}


def test_creating_a_group_makes_an_access_group_and_leaves_org_units_alone(scim, new_user, org):
    user = new_user()
    response = scim.post(
        "/Groups",
        {"displayName": "Claims", "externalId": "okta-00g1", "members": [{"value": user["id"]}]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["externalId"] == "okta-00g1" and body["displayName"] == "Claims"
    assert body["members"][0]["value"] == user["id"] and body["members"][0]["type"] == "User"
    assert AccessGroup.objects.get(pk=body["id"]).members.get().pk == int(user["id"])
    assert OrgUnit.objects.count() == 2 and Person.objects.get(pk=user["id"]).org_unit is None


def test_a_user_may_be_in_many_groups(scim, new_user):
    user = new_user()
    first = scim.post("/Groups", {"displayName": "A", "members": [{"value": user["id"]}]}).json()
    second = scim.post("/Groups", {"displayName": "B", "members": [{"value": user["id"]}]}).json()
    assert _members(scim, first) == _members(scim, second) == {user["id"]}
    groups = scim.get(f"/Users/{user['id']}").json()["groups"]
    assert [g["display"] for g in groups] == ["A", "B"]


@pytest.mark.parametrize(
    "member",
    [
        {"value": "424242"},
        {"value": "12345678901234567890123"},
        {"value": "abc"},
        {"value": "1", "type": "Group"},
    ],
)
def test_members_must_be_known_users(scim, new_user, member):
    user = new_user()
    member = {**member, "value": user["id"]} if member.get("type") else member
    response = scim.post("/Groups", {"displayName": "G", "members": [member]})
    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidValue"
    assert AccessGroup.objects.count() == 0


def test_a_member_of_type_group_in_a_patch_is_refused_and_moves_nobody(scim, new_user):
    user = new_user()
    group = scim.post("/Groups", {"displayName": "G"}).json()
    response = scim.patch(
        f"/Groups/{group['id']}",
        {"op": "add", "path": "members", "value": [{"value": user["id"], "type": "Group"}]},
    )
    assert response.status_code == 400
    assert _members(scim, group) == set()


def test_replacing_a_group_sets_its_members(scim, new_user):
    one, two = new_user("one"), new_user("two")
    group = scim.post("/Groups", {"displayName": "G", "members": [{"value": one["id"]}]}).json()
    response = scim.put(
        f"/Groups/{group['id']}", {"displayName": "Renamed", "members": [{"value": two["id"]}]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["displayName"] == "Renamed" and _members(scim, group) == {two["id"]}


def test_deleting_a_group_removes_its_memberships(scim, new_user):
    user = new_user()
    group = scim.post("/Groups", {"displayName": "G", "members": [{"value": user["id"]}]}).json()
    assert scim.delete(f"/Groups/{group['id']}").status_code == 204
    assert scim.get(f"/Groups/{group['id']}").status_code == 404
    assert "groups" not in scim.get(f"/Users/{user['id']}").json()
    assert AccessGroupMembership.objects.count() == 0
    assert AccessGroupMembership.history.filter(history_type="-").count() == 1


def test_entra_matches_groups_by_display_name_and_excludes_members(scim, new_user):
    user = new_user()
    scim.post("/Groups", {"displayName": "Sales Leads", "members": [{"value": user["id"]}]})
    body = scim.get('/Groups?filter=displayName eq "sales leads"&excludedAttributes=members')
    assert body.json()["totalResults"] == 1 and "members" not in body.json()["Resources"][0]


def test_entra_checks_membership_with_a_members_filter(scim, new_user):
    one, two = new_user("one"), new_user("two")
    group = scim.post("/Groups", {"displayName": "G", "members": [{"value": one["id"]}]}).json()
    for member, found in ((one, 1), (two, 0)):
        query = f'filter=id eq "{group["id"]}" and members eq "{member["id"]}"'
        assert (
            scim.get(f"/Groups?{query}&excludedAttributes=members").json()["totalResults"] == found
        )


def test_service_provider_config_declares_what_is_supported(scim):
    body = scim.get("/ServiceProviderConfig").json()
    assert body["patch"]["supported"] and body["filter"]["supported"]
    assert body["etag"]["supported"] is True and body["sort"]["supported"] is True
    assert body["bulk"]["supported"] is False
    assert body["authenticationSchemes"][0]["type"] == "oauthbearertoken"


def test_resource_types_list_users_and_groups(scim):
    body = scim.get("/ResourceTypes").json()
    assert body["schemas"] == [LIST]
    assert {r["name"] for r in body["Resources"]} == {"User", "Group"}
    assert scim.get("/ResourceTypes/User").json()["endpoint"] == "/Users"
    assert scim.get("/ResourceTypes/Nope").status_code == 404


def test_schemas_list_only_the_attributes_redefine_stores(scim):
    body = scim.get("/Schemas").json()
    ids = {r["id"] for r in body["Resources"]}
    assert "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" in ids
    user = scim.get(f"/Schemas/{USER}").json()
    names = {a["name"] for a in user["attributes"]}
    assert {"userName", "name", "emails", "active", "groups"} <= names
    assert "phoneNumbers" not in names and "password" not in names
    user_name = next(a for a in user["attributes"] if a["name"] == "userName")
    assert user_name["uniqueness"] == "server" and user_name["caseExact"] is False
    name = next(a for a in user["attributes"] if a["name"] == "name")
    assert {s["name"] for s in name["subAttributes"]} >= {"middleName", "honorificSuffix"}


def test_an_unknown_scim_path_is_a_404_in_the_scim_shape(scim):
    response = scim.get("/Nope")
    assert response.status_code == 404 and response.json()["status"] == "404"


def test_a_group_of_over_a_thousand_members_takes_a_patch(scim):
    people = Person.objects.bulk_create(
        [Person(external_id=f"P{i}", full_name=f"Person {i}") for i in range(1100)]
    )
    members = [{"value": str(p.pk)} for p in people]
    group = scim.post("/Groups", {"displayName": "Everyone", "members": members})
    assert group.status_code == 201, group.content
    response = scim.patch(
        f"/Groups/{group.json()['id']}?excludedAttributes=members",
        {"op": "remove", "path": f'members[value eq "{people[0].pk}"]'},
    )
    assert response.status_code == 200, response.content
    assert AccessGroup.objects.get().members.count() == 1099

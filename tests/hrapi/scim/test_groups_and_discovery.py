"""SCIM Groups (org units) and the discovery endpoints."""

import pytest

from people.models import OrgUnit

pytestmark = pytest.mark.django_db
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def test_creating_a_group_makes_an_org_unit_with_members(scim, new_user):
    user = new_user()
    response = scim.post(
        "/Groups",
        {"displayName": "Claims", "externalId": "CLAIMS", "members": [{"value": user["id"]}]},
    )
    assert response.status_code == 201
    group = response.json()
    unit = OrgUnit.objects.get(external_id="CLAIMS")
    assert group["id"] == str(unit.pk) and group["displayName"] == "Claims"
    assert [m["value"] for m in group["members"]] == [user["id"]]
    assert unit.people.get().external_id == "bjensen"


def test_a_duplicate_external_id_is_a_409(scim):
    scim.post("/Groups", {"displayName": "A", "externalId": "X"})
    response = scim.post("/Groups", {"displayName": "B", "externalId": "X"})
    assert response.status_code == 409 and response.json()["scimType"] == "uniqueness"


def test_unknown_members_are_refused(scim):
    response = scim.post("/Groups", {"displayName": "A", "members": [{"value": "424242"}]})
    assert response.status_code == 400


def test_replacing_a_group_sets_its_members(scim, new_user):
    one, two = new_user("one"), new_user("two")
    group = scim.post("/Groups", {"displayName": "A", "members": [{"value": one["id"]}]}).json()
    response = scim.put(
        f"/Groups/{group['id']}", {"displayName": "B", "members": [{"value": two["id"]}]}
    )
    assert [m["value"] for m in response.json()["members"]] == [two["id"]]
    assert response.json()["displayName"] == "B"


def test_deleting_a_group_deactivates_the_org_unit(scim):
    group = scim.post("/Groups", {"displayName": "A", "externalId": "A"}).json()
    assert scim.delete(f"/Groups/{group['id']}").status_code == 204
    assert OrgUnit.objects.get(external_id="A").active is False
    assert scim.get(f"/Groups/{group['id']}").status_code == 404


def test_groups_filter_by_display_name_and_exclude_members(scim, org):
    body = scim.get('/Groups?filter=displayName eq "team one"&excludedAttributes=members').json()
    assert body["totalResults"] == 1 and "members" not in body["Resources"][0]


def test_service_provider_config_declares_what_is_supported(scim):
    body = scim.get("/ServiceProviderConfig").json()
    assert body["patch"]["supported"] and body["filter"]["supported"]
    assert body["bulk"]["supported"] is False
    assert body["authenticationSchemes"][0]["type"] == "oauthbearertoken"


def test_resource_types_list_users_and_groups(scim):
    body = scim.get("/ResourceTypes").json()
    assert body["schemas"] == [LIST]
    assert {r["name"] for r in body["Resources"]} == {"User", "Group"}
    assert scim.get("/ResourceTypes/User").json()["endpoint"] == "/Users"
    assert scim.get("/ResourceTypes/Nope").status_code == 404


def test_schemas_describe_user_group_and_the_enterprise_extension(scim):
    body = scim.get("/Schemas").json()
    ids = {r["id"] for r in body["Resources"]}
    assert "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" in ids
    user = scim.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User").json()
    assert any(a["name"] == "userName" and a["uniqueness"] == "server" for a in user["attributes"])


def test_an_unknown_scim_path_is_a_404_in_the_scim_shape(scim):
    response = scim.get("/Nope")
    assert response.status_code == 404 and response.json()["status"] == "404"

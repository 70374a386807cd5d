"""SCIM Users: create, read, replace, delete, the media type and the error shape."""

import pytest

from people.models import Person

pytestmark = pytest.mark.django_db
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def test_creating_a_user_makes_a_person_keyed_by_user_name(scim, new_user):
    user = new_user()
    person = Person.objects.get(external_id="bjensen")
    assert user["id"] == str(person.pk)
    assert person.full_name == "Barbara Jensen" and person.email == "bjensen@example.com"
    assert user["name"]["formatted"] == "Barbara Jensen" and user["displayName"] == "Barbara Jensen"
    assert user[ENTERPRISE]["employeeNumber"] == "bjensen"
    assert user["meta"]["resourceType"] == "User"
    assert user["meta"]["location"].endswith(f"/scim/v2/Users/{person.pk}")


def test_responses_are_scim_json_with_a_location_on_create(scim):
    response = scim.post("/Users", {"userName": "x1", "name": {"formatted": "X One"}})
    assert response["Content-Type"] == "application/scim+json"
    assert response["Location"].endswith(f"/scim/v2/Users/{response.json()['id']}")


def test_plain_json_bodies_are_accepted_too(scim):
    response = scim.post("/Users", {"userName": "x2"}, content_type="application/json")
    assert response.status_code == 201


def test_a_duplicate_user_name_is_a_409_uniqueness_error(scim, new_user):
    new_user()
    response = scim.post("/Users", {"userName": "BJENSEN"})
    assert response.status_code == 409
    body = response.json()
    assert body["schemas"] == [ERROR] and body["status"] == "409"
    assert body["scimType"] == "uniqueness" and body["detail"]


def test_a_missing_user_name_is_a_400_with_scim_type(scim):
    body = scim.post("/Users", {"name": {"formatted": "No Name"}}).json()
    assert body["status"] == "400" and body["scimType"] == "invalidValue"


def test_malformed_json_is_invalid_syntax(scim):
    response = scim.api.generic(
        "POST", "/scim/v2/Users", "{oops", content_type="application/scim+json"
    )
    assert response.status_code == 400 and response.json()["scimType"] == "invalidSyntax"


def test_an_unsupported_media_type_is_a_415_in_the_scim_shape(scim):
    response = scim.post("/Users", {"userName": "x"}, content_type="text/plain")
    assert response.status_code == 415 and response.json()["status"] == "415"


def test_reading_an_unknown_user_is_a_404_in_the_scim_shape(scim):
    for path in ("/Users/999999", "/Users/not-a-number"):
        response = scim.get(path)
        assert response.status_code == 404
        assert response.json()["schemas"] == [ERROR] and response.json()["status"] == "404"


def test_the_enterprise_extension_sets_manager_and_department(scim, new_user, org):
    boss = new_user("boss")
    user = new_user(
        "worker",
        **{ENTERPRISE: {"manager": {"value": boss["id"]}, "department": "team one"}},
    )
    person = Person.objects.get(external_id="worker")
    assert person.manager.external_id == "boss" and person.org_unit == org
    assert user[ENTERPRISE]["manager"]["value"] == boss["id"]
    assert user[ENTERPRISE]["department"] == "team one"  # as sent


def test_an_unknown_manager_is_refused(scim):
    response = scim.post("/Users", {"userName": "w", ENTERPRISE: {"manager": {"value": "424242"}}})
    assert response.status_code == 400


def test_replacing_a_user_sets_every_attribute(scim, new_user):
    user = new_user()
    response = scim.put(
        f"/Users/{user['id']}",
        {
            "schemas": [user["schemas"][0]],
            "userName": "BJENSEN",  # a change of case only is no rename
            "name": {"formatted": "Babs Jensen"},
            "active": False,
        },
    )
    assert response.status_code == 200, response.content
    person = Person.objects.get(pk=user["id"])
    assert (person.external_id, person.full_name, person.email, person.active) == (
        "bjensen",
        "Babs Jensen",
        "",
        False,
    )


def test_okta_renaming_user_name_is_refused_as_the_rest_api_refuses_it(scim, new_user):
    new_user("taken")
    user = new_user()
    for name in ("taken", "bjensen2"):
        response = scim.put(f"/Users/{user['id']}", {"userName": name})
        assert response.status_code == 400 and response.json()["scimType"] == "mutability"
        patched = scim.patch(
            f"/Users/{user['id']}", {"op": "replace", "path": "userName", "value": name}
        )
        assert patched.status_code == 400 and patched.json()["scimType"] == "mutability"
    assert Person.objects.get(pk=user["id"]).external_id == "bjensen"


def test_deleting_a_user_deactivates_them_and_scim_answers_404_after(scim, new_user):
    user = new_user()
    assert scim.delete(f"/Users/{user['id']}").status_code == 204
    person = Person.objects.get(pk=user["id"])
    assert person.active is False and person.deprovisioned_at is not None
    assert scim.get(f"/Users/{user['id']}").status_code == 404
    assert scim.get('/Users?filter=userName eq "bjensen"').json()["totalResults"] == 0


def test_creating_a_deleted_user_again_reprovisions_the_same_person(scim, new_user):
    user = new_user()
    scim.delete(f"/Users/{user['id']}")
    again = new_user()
    assert again["id"] == user["id"] and again["active"] is True


def test_scim_needs_a_token_with_the_scim_scope(client_with_scopes, api):
    response = api.get("/scim/v2/Users")
    assert response.status_code == 401 and response.json()["status"] == "401"
    people = client_with_scopes("people:read", "people:write")
    response = people.get("/scim/v2/Users")
    assert response.status_code == 403 and response.json()["status"] == "403"


def test_session_users_cannot_use_scim(api, hilda):
    api.force_login(hilda)
    assert api.get("/scim/v2/Users").status_code == 401


def test_users_in_a_group_list_it(scim, new_user):
    user = new_user()
    group = scim.post("/Groups", {"displayName": "Pilots", "members": [{"value": user["id"]}]})
    listed = scim.get(f"/Users/{user['id']}").json()["groups"]
    assert listed == [
        {
            "value": group.json()["id"],
            "display": "Pilots",
            "$ref": f"http://testserver/scim/v2/Groups/{group.json()['id']}",
            "type": "direct",
        }
    ]

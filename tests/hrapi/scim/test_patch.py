"""SCIM PATCH on Users and Groups: add, replace, remove, with and without paths."""

import pytest

from people.models import Person

pytestmark = pytest.mark.django_db
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _person(user):
    return Person.objects.get(pk=user["id"])


def test_replace_active_with_a_path(scim, new_user):
    user = new_user()
    response = scim.patch(
        f"/Users/{user['id']}", {"op": "replace", "path": "active", "value": False}
    )
    assert response.status_code == 200 and response.json()["active"] is False
    assert _person(user).active is False


def test_entra_sends_capitalised_replace_with_string_boolean(scim, new_user):
    user = new_user()
    response = scim.patch(
        f"/Users/{user['id']}",
        {"op": "Replace", "value": {"active": "False", "displayName": "Babs"}},
    )
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False and response.json()["displayName"] == "Babs"
    person = _person(user)
    # displayName is stored as sent; the full name stays the real name from its parts.
    assert person.active is False and person.full_name == "Barbara Jensen"


def test_replace_a_name_part_recomputes_the_full_name(scim, new_user):
    user = new_user()
    scim.patch(f"/Users/{user['id']}", {"op": "replace", "path": "name.familyName", "value": "Doe"})
    assert _person(user).full_name == "Barbara Doe"
    scim.patch(f"/Users/{user['id']}", {"op": "replace", "value": {"name.givenName": "Anna"}})
    assert _person(user).full_name == "Anna Doe"


def test_replace_the_work_email_through_a_filtered_path(scim, new_user):
    user = new_user()
    path = 'emails[type eq "work"].value'
    response = scim.patch(
        f"/Users/{user['id']}", {"op": "replace", "path": path, "value": "new@example.com"}
    )
    assert response.json()["emails"][0]["value"] == "new@example.com"
    assert _person(user).email == "new@example.com"


def test_add_a_work_email_to_a_user_without_one(scim):
    user = scim.post("/Users", {"userName": "noemail"}).json()
    scim.patch(
        f"/Users/{user['id']}",
        {"op": "add", "path": 'emails[type eq "work"].value', "value": "w@x.org"},
    )
    assert _person(user).email == "w@x.org"


def test_add_emails_as_a_list(scim):
    user = scim.post("/Users", {"userName": "list"}).json()
    scim.patch(
        f"/Users/{user['id']}",
        {"op": "add", "path": "emails", "value": [{"value": "l@x.org", "type": "work"}]},
    )
    assert _person(user).email == "l@x.org"


def test_remove_the_work_email(scim, new_user):
    user = new_user()
    response = scim.patch(
        f"/Users/{user['id']}", {"op": "remove", "path": 'emails[type eq "work"]'}
    )
    assert response.status_code == 200 and _person(user).email == ""


def test_set_and_remove_the_manager_by_the_enterprise_urn_path(scim, new_user):
    boss, user = new_user("boss"), new_user()
    scim.patch(
        f"/Users/{user['id']}",
        {"op": "add", "path": f"{ENTERPRISE}:manager", "value": {"value": boss["id"]}},
    )
    assert _person(user).manager_id == int(boss["id"])
    scim.patch(
        f"/Users/{user['id']}",
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": boss["id"]},
    )
    assert _person(user).manager_id == int(boss["id"])
    scim.patch(f"/Users/{user['id']}", {"op": "remove", "path": f"{ENTERPRISE}:manager"})
    assert _person(user).manager_id is None


def test_a_manager_cycle_is_refused(scim, new_user):
    boss = new_user("boss")
    user = new_user(**{ENTERPRISE: {"manager": {"value": boss["id"]}}})
    response = scim.patch(
        f"/Users/{boss['id']}",
        {"op": "replace", "value": {ENTERPRISE: {"manager": {"value": user["id"]}}}},
    )
    assert response.status_code == 400 and "cycle" in response.json()["detail"]


def test_department_by_the_enterprise_urn_path(scim, new_user, org):
    user = new_user()
    scim.patch(
        f"/Users/{user['id']}",
        {"op": "replace", "path": f"{ENTERPRISE}:department", "value": "Team one"},
    )
    assert _person(user).org_unit == org


@pytest.mark.parametrize(
    "body",
    [
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": []},
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "remove"}],
        },
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "explode", "path": "active"}],
        },
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "emails[type eq", "value": "x"}],
        },
        {"schemas": ["wrong"], "Operations": [{"op": "replace", "path": "active", "value": True}]},
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "active", "value": "maybe"}],
        },
    ],
)
def test_bad_patches_are_400s_with_a_scim_type(scim, new_user, body):
    user = new_user()
    response = scim._send("PATCH", f"/Users/{user['id']}", body)
    assert response.status_code == 400
    assert response.json()["scimType"] in (
        "invalidSyntax",
        "noTarget",
        "invalidValue",
        "invalidPath",
        "invalidFilter",
    )


def test_group_members_add_and_remove(scim, new_user):
    one, two = new_user("one"), new_user("two")
    group = scim.post("/Groups", {"displayName": "Claims", "externalId": "CLAIMS"}).json()
    scim.patch(
        f"/Groups/{group['id']}",
        {"op": "add", "path": "members", "value": [{"value": one["id"]}, {"value": two["id"]}]},
    )
    assert {m["value"] for m in scim.get(f"/Groups/{group['id']}").json()["members"]} == {
        one["id"],
        two["id"],
    }
    scim.patch(
        f"/Groups/{group['id']}", {"op": "remove", "path": f'members[value eq "{one["id"]}"]'}
    )
    assert [m["value"] for m in scim.get(f"/Groups/{group['id']}").json()["members"]] == [two["id"]]
    assert _person(one).org_unit is None and _person(two).org_unit is None  # org units are HR data


def test_group_rename_without_a_path(scim):
    group = scim.post("/Groups", {"displayName": "Old"}).json()
    response = scim.patch(
        f"/Groups/{group['id']}", {"op": "replace", "value": {"displayName": "New"}}
    )
    assert response.json()["displayName"] == "New"


def test_replacing_the_whole_name_object_recomputes_the_full_name(scim, new_user):
    user = new_user()
    scim.patch(
        f"/Users/{user['id']}",
        {"op": "replace", "path": "name", "value": {"givenName": "Ada", "familyName": "King"}},
    )
    assert _person(user).full_name == "Ada King"

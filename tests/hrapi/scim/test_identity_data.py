"""Identity data comes back as the provider sent it: names, e-mails, department, externalId;
the person's contract fields (full name, e-mail, org unit) are derived from it."""

import pytest

from people.models import Person

pytestmark = pytest.mark.django_db
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _create(scim, **body):
    response = scim.post("/Users", {"schemas": [USER, ENTERPRISE], "userName": "E1", **body})
    assert response.status_code == 201, response.content
    return response.json()


def _person(user) -> Person:
    return Person.objects.get(pk=user["id"])


def test_maria_de_la_cruz_keeps_her_given_and_family_names(scim):
    user = _create(scim, name={"givenName": "Maria", "familyName": "de la Cruz"})
    again = scim.get(f"/Users/{user['id']}").json()
    assert again["name"]["givenName"] == "Maria" and again["name"]["familyName"] == "de la Cruz"
    assert again["name"]["formatted"] == _person(user).full_name == "Maria de la Cruz"


def test_a_person_created_through_rest_is_never_split_into_name_parts(scim, org):
    person = Person.objects.create(external_id="R1", full_name="Maria de la Cruz", email="m@x.org")
    user = scim.get(f"/Users/{person.pk}").json()
    assert user["name"] == {"formatted": "Maria de la Cruz"}
    assert user["emails"] == [{"value": "m@x.org", "type": "work", "primary": True}]


def test_display_name_then_family_name_keeps_a_full_name(scim):
    user = _create(scim, name={"givenName": "Barbara", "familyName": "Jensen"})
    url = f"/Users/{user['id']}"
    scim.patch(url, {"op": "replace", "path": "displayName", "value": "Babs Jensen"})
    response = scim.patch(url, {"op": "replace", "path": "name.familyName", "value": "Smith"})
    assert response.json()["displayName"] == "Babs Jensen"
    assert response.json()["name"]["formatted"] == _person(user).full_name == "Barbara Smith"


def test_a_display_name_alone_is_the_full_name(scim):
    user = _create(scim, displayName="Babs")
    assert _person(user).full_name == "Babs" and user["name"] == {"formatted": "Babs"}


def test_middle_names_and_honorifics_make_the_formatted_name(scim):
    name = {
        "honorificPrefix": "Dr.",
        "givenName": "Ana",
        "middleName": "Lucía",
        "familyName": "Pérez",
        "honorificSuffix": "PhD",
    }
    user = _create(scim, name=name)
    assert user["name"] == {"formatted": "Dr. Ana Lucía Pérez PhD", **name}


def test_a_formatted_name_sent_wins_until_a_part_changes_without_it(scim):
    user = _create(scim, name={"formatted": "Ms. B. Jensen", "givenName": "B", "familyName": "J"})
    assert _person(user).full_name == "Ms. B. Jensen"
    url = f"/Users/{user['id']}"
    scim.patch(url, {"op": "replace", "path": "name.givenName", "value": "Barbara"})
    assert _person(user).full_name == "Barbara J"


def test_several_emails_keep_type_and_primary_and_the_contract_email_is_the_primary(scim):
    emails = [
        {"value": "home@x.org", "type": "home"},
        {"value": "work@x.org", "type": "work", "primary": False},
        {"value": "main@x.org", "type": "other", "primary": True},
    ]
    user = _create(scim, emails=emails)
    assert user["emails"] == emails and _person(user).email == "main@x.org"


def test_the_contract_email_is_the_work_one_when_none_is_primary(scim):
    user = _create(
        scim, emails=[{"value": "home@x.org", "type": "home"}, {"value": "w@x.org", "type": "work"}]
    )
    assert _person(user).email == "w@x.org"


def test_two_primary_emails_are_refused(scim):
    emails = [{"value": "a@x.org", "primary": True}, {"value": "b@x.org", "primary": True}]
    response = scim.post("/Users", {"userName": "E1", "emails": emails})
    assert response.status_code == 400 and Person.objects.count() == 0


def test_a_patch_making_an_email_primary_unsets_the_other(scim):
    user = _create(scim, emails=[{"value": "a@x.org", "type": "work", "primary": True}])
    response = scim.patch(
        f"/Users/{user['id']}",
        {"op": "add", "path": "emails", "value": [{"value": "b@x.org", "primary": True}]},
    )
    assert [e.get("primary") for e in response.json()["emails"]] == [False, True]
    assert _person(user).email == "b@x.org"


def test_the_department_links_the_org_unit_by_external_id_or_name(scim, org):
    by_id = _create(scim, **{ENTERPRISE: {"department": "team1"}})
    assert _person(by_id).org_unit == org
    by_name = scim.post("/Users", {"userName": "E2", ENTERPRISE: {"department": "TEAM ONE"}})
    assert Person.objects.get(external_id="E2").org_unit == org
    assert by_name.json()[ENTERPRISE]["department"] == "TEAM ONE"


def test_an_unknown_department_is_kept_as_sent(scim, org):
    user = _create(scim, **{ENTERPRISE: {"department": "Skunkworks"}})
    assert user[ENTERPRISE]["department"] == "Skunkworks" and _person(user).org_unit is None
    assert (
        scim.get(f'/Users?filter={ENTERPRISE}:department eq "skunkworks"').json()["totalResults"]
        == 1
    )


def test_removing_optional_attributes_removes_them(scim, org):
    boss = scim.post("/Users", {"userName": "BOSS"}).json()
    user = _create(
        scim,
        externalId="ext-1",
        displayName="Babs",
        name={"givenName": "Barbara", "middleName": "J", "familyName": "Jensen"},
        emails=[{"value": "w@x.org", "type": "work"}, {"value": "h@x.org", "type": "home"}],
        **{ENTERPRISE: {"department": "Team one", "manager": {"value": boss["id"]}}},
    )
    response = scim.patch(
        f"/Users/{user['id']}",
        {"op": "remove", "path": "externalId"},
        {"op": "remove", "path": "displayName"},
        {"op": "remove", "path": "name.middleName"},
        {"op": "remove", "path": 'emails[type eq "home"]'},
        {"op": "remove", "path": f"{ENTERPRISE}:department"},
        {"op": "remove", "path": f"{ENTERPRISE}:manager"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "externalId" not in body and body["displayName"] == "Barbara Jensen"
    assert body["name"] == {
        "formatted": "Barbara Jensen",
        "givenName": "Barbara",
        "familyName": "Jensen",
    }
    assert body["emails"] == [{"value": "w@x.org", "type": "work"}]
    assert body[ENTERPRISE] == {"employeeNumber": "E1"}
    person = _person(user)
    assert person.manager is None and person.full_name == "Barbara Jensen"


def test_a_department_never_sent_shows_the_org_unit_and_can_be_removed(scim, org):
    person = Person.objects.create(external_id="R1", full_name="Rest Person", org_unit=org)
    assert scim.get(f"/Users/{person.pk}").json()[ENTERPRISE]["department"] == "Team one"
    untouched = scim.patch(
        f"/Users/{person.pk}", {"op": "replace", "path": "active", "value": True}
    )
    assert untouched.json()[ENTERPRISE]["department"] == "Team one"
    removed = scim.patch(
        f"/Users/{person.pk}", {"op": "remove", "path": f"{ENTERPRISE}:department"}
    )
    assert "department" not in removed.json()[ENTERPRISE]
    assert Person.objects.get(pk=person.pk).org_unit == org  # org units stay HR data


def test_a_bad_email_is_refused_and_changes_nothing(scim):
    user = _create(scim, emails=[{"value": "a@x.org"}])
    response = scim.patch(
        f"/Users/{user['id']}", {"op": "replace", "path": "emails", "value": [{"value": "nope"}]}
    )
    assert response.status_code == 400 and _person(user).email == "a@x.org"

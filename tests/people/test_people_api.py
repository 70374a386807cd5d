"""The people and org unit endpoints: contract fields, scopes, writes keyed by external_id."""

import pytest

from people.models import OrgUnit, Person

pytestmark = pytest.mark.django_db

PERSON_FIELDS = {
    "external_id",
    "full_name",
    "email",
    "org_unit_external_id",
    "manager_external_id",
    "active",
}


def test_a_person_has_exactly_the_contract_fields(reader, org):
    boss = Person.objects.create(external_id="E1", full_name="Boss", org_unit=org)
    Person.objects.create(
        external_id="E2", full_name="Ann", email="a@x.org", org_unit=org, manager=boss
    )
    body = reader.get("/api/v1/people/E2/").json()
    assert set(body) >= PERSON_FIELDS
    assert body["org_unit_external_id"] == "TEAM1"
    assert body["manager_external_id"] == "E1"
    assert reader.get("/api/v1/people/E1/").json()["manager_external_id"] is None


def test_an_org_unit_has_exactly_the_contract_fields(reader, org):
    assert {"external_id", "name", "parent_external_id"} <= set(
        reader.get("/api/v1/org-units/TEAM1/").json()
    )
    assert reader.get("/api/v1/org-units/ORG/").json()["parent_external_id"] is None


def test_reading_needs_the_people_read_scope(client_with_scopes, org):
    for scopes in [(), ("metrics:read",), ("scim",), ("people:write",)]:
        api = client_with_scopes(*scopes)
        response = api.get("/api/v1/people/")
        assert response.status_code == 403, scopes
        assert response.json()["code"] == "permission_denied"
        assert api.get("/api/v1/org-units/").status_code == 403


def test_writing_needs_the_people_write_scope(reader, org):
    response = reader.post("/api/v1/people/", {"external_id": "E9", "full_name": "N"})
    assert response.status_code == 403
    assert reader.post("/api/v1/people/bulk/", {"rows": []}).status_code == 403
    assert reader.delete("/api/v1/people/P-X/").status_code == 403
    assert not Person.objects.filter(external_id="E9").exists()


def test_creating_a_person_by_external_ids(writer, org):
    Person.objects.create(external_id="E1", full_name="Boss")
    response = writer.post(
        "/api/v1/people/",
        {
            "external_id": "E2",
            "full_name": "Ann",
            "email": "ann@x.org",
            "org_unit_external_id": "TEAM1",
            "manager_external_id": "E1",
        },
    )
    assert response.status_code == 201, response.json()
    person = Person.objects.get(external_id="E2")
    assert person.org_unit == org and person.manager.external_id == "E1"


def test_creating_a_duplicate_external_id_is_a_conflict(writer, org):
    Person.objects.create(external_id="E1", full_name="Boss")
    response = writer.post("/api/v1/people/", {"external_id": "E1", "full_name": "Again"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_an_unknown_org_unit_is_a_field_error(writer, org):
    response = writer.post(
        "/api/v1/people/",
        {"external_id": "E2", "full_name": "Ann", "org_unit_external_id": "NOPE"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "org_unit_external_id" in body["fields"]


def test_a_validation_error_names_every_bad_field(writer):
    response = writer.post("/api/v1/people/", {"email": "not-an-email"})
    body = response.json()
    assert response.status_code == 400
    assert set(body) == {"code", "message", "fields"}
    assert {"external_id", "full_name", "email"} <= set(body["fields"])


def test_updating_a_person_by_external_id(writer, org):
    Person.objects.create(external_id="E1", full_name="Old", org_unit=org)
    response = writer.patch("/api/v1/people/E1/", {"full_name": "New"})
    assert response.status_code == 200 and response.json()["full_name"] == "New"
    assert response.json()["org_unit_external_id"] == "TEAM1"


def test_an_external_id_in_an_update_body_is_ignored(writer):
    Person.objects.create(external_id="E1", full_name="Old")
    response = writer.patch("/api/v1/people/E1/", {"external_id": "E2", "full_name": "New"})
    assert response.status_code == 200 and response.json()["external_id"] == "E1"
    assert not Person.objects.filter(external_id="E2").exists()


def test_a_put_needs_the_full_name_a_patch_does_not(writer):
    Person.objects.create(external_id="E1", full_name="Old")
    response = writer.put("/api/v1/people/E1/", {"email": "a@x.org"})
    assert response.status_code == 400 and "full_name" in response.json()["fields"]
    assert writer.patch("/api/v1/people/E1/", {"email": "a@x.org"}).status_code == 200


def test_a_manager_chain_cannot_become_a_cycle(writer):
    a = Person.objects.create(external_id="A", full_name="A")
    Person.objects.create(external_id="B", full_name="B", manager=a)
    response = writer.patch("/api/v1/people/A/", {"manager_external_id": "B"})
    assert response.status_code == 400
    assert "cycle" in response.json()["fields"]["manager_external_id"][0]
    assert writer.patch("/api/v1/people/A/", {"manager_external_id": "A"}).status_code == 400


def test_an_org_unit_cannot_become_its_own_ancestor(writer, org):
    response = writer.patch("/api/v1/org-units/ORG/", {"parent_external_id": "TEAM1"})
    assert response.status_code == 400
    assert "cycle" in response.json()["fields"]["parent_external_id"][0]


def test_deleting_a_person_deactivates_and_keeps_them_readable(writer, org):
    Person.objects.create(external_id="E1", full_name="Leaver", org_unit=org)
    assert writer.delete("/api/v1/people/E1/").status_code == 204
    body = writer.get("/api/v1/people/E1/").json()
    assert body["active"] is False and body["org_unit_external_id"] == "TEAM1"


def test_deleting_an_org_unit_deactivates_it(writer, org):
    assert writer.delete("/api/v1/org-units/TEAM1/").status_code == 204
    assert OrgUnit.objects.get(external_id="TEAM1").active is False


def test_an_unknown_person_is_a_404_in_the_error_shape(reader):
    response = reader.get("/api/v1/people/NOPE/")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message"}


def test_every_logged_in_person_may_read_people_but_only_hr_admins_write(api, mallory, hilda):
    api.force_authenticate(mallory)
    assert api.get("/api/v1/people/").status_code == 200
    denied = api.post("/api/v1/people/", {"external_id": "E9", "full_name": "N"})
    assert denied.status_code == 403
    api.force_authenticate(hilda)
    assert api.post("/api/v1/people/", {"external_id": "E9", "full_name": "N"}).status_code == 201


def test_anonymous_requests_get_a_401_in_the_error_shape(api):
    response = api.get("/api/v1/people/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"

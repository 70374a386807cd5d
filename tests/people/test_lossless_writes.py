"""Writes as HR systems make them: a nightly delta carries only what changed, a PATCH only the
field being fixed, PUT a whole record; case variants of a key are one key; a client that read
a stale copy is told before it overwrites a newer one."""

import pytest

from people.models import OrgUnit, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(org):
    boss = Person.objects.create(external_id="E1", full_name="Boss", org_unit=org)
    return Person.objects.create(
        external_id="E2", full_name="Ann", email="ann@x.org", org_unit=org, manager=boss
    )


def test_a_nightly_delta_without_manager_keeps_the_manager(writer, ann):
    response = writer.post(
        "/api/v1/people/bulk/", {"rows": [{"external_id": "E2", "full_name": "Ann Lee"}]}
    )
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 0}
    body = writer.get("/api/v1/people/E2/").json()
    assert body["full_name"] == "Ann Lee"
    assert body["manager_external_id"] == "E1"
    assert body["org_unit_external_id"] == "TEAM1"
    assert body["email"] == "ann@x.org"


def test_a_delta_row_with_only_the_key_changes_nothing(writer, ann):
    response = writer.post("/api/v1/people/bulk/", {"rows": [{"external_id": "E2"}]})
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 1}
    assert Person.objects.get(external_id="E2").manager.external_id == "E1"


def test_a_delta_that_names_the_manager_as_null_clears_it(writer, ann):
    row = {"external_id": "E2", "manager_external_id": None}
    writer.post("/api/v1/people/bulk/", {"rows": [row]})
    assert writer.get("/api/v1/people/E2/").json()["manager_external_id"] is None


def test_patching_a_typo_in_the_name_keeps_the_reporting_line(writer, ann):
    response = writer.patch("/api/v1/people/E2/", {"full_name": "Anne"})
    assert response.status_code == 200
    assert response.json()["manager_external_id"] == "E1"
    assert response.json()["org_unit_external_id"] == "TEAM1"
    assert response.json()["email"] == "ann@x.org"


def test_renaming_a_team_keeps_it_in_the_tree(writer, org):
    response = writer.patch("/api/v1/org-units/TEAM1/", {"name": "Team 1"})
    assert response.status_code == 200
    assert response.json()["parent_external_id"] == "ORG"
    assert OrgUnit.objects.get(external_id="TEAM1").parent.external_id == "ORG"


def test_an_org_delta_without_parent_keeps_the_parent(writer, org):
    writer.post("/api/v1/org-units/bulk/", {"rows": [{"external_id": "TEAM1", "name": "T"}]})
    assert OrgUnit.objects.get(external_id="TEAM1").parent.external_id == "ORG"


def test_a_put_must_name_every_field_of_the_contract(writer, ann):
    response = writer.put("/api/v1/people/E2/", {"full_name": "Ann"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"email", "org_unit_external_id", "manager_external_id", "active"}
    assert "manager_external_id" in body["message"]
    assert Person.objects.get(external_id="E2").manager is not None


def test_a_full_put_replaces_the_record(writer, ann):
    record = {
        "full_name": "Ann",
        "email": "",
        "org_unit_external_id": None,
        "manager_external_id": None,
        "active": True,
    }
    response = writer.put("/api/v1/people/E2/", record)
    assert response.status_code == 200, response.json()
    assert response.json()["manager_external_id"] is None
    assert response.json()["org_unit_external_id"] is None


def test_an_org_unit_put_needs_its_parent(writer, org):
    response = writer.put("/api/v1/org-units/TEAM1/", {"name": "Team"})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["parent_external_id"]


def test_a_lowercase_copy_of_an_employee_id_is_a_conflict_naming_the_stored_one(writer, ann):
    response = writer.post("/api/v1/people/", {"external_id": "e2", "full_name": "Ann again"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert "'E2'" in body["message"]
    assert Person.objects.filter(external_id__iexact="e2").count() == 1


def test_a_bulk_feed_in_lower_case_does_not_duplicate_people(writer, ann):
    response = writer.post(
        "/api/v1/people/bulk/", {"rows": [{"external_id": "e2", "full_name": "Ann"}]}
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["index"], error["field"]) == (0, "external_id")
    assert "'E2'" in error["message"]
    assert Person.objects.filter(external_id__iexact="e2").count() == 1


def test_one_batch_naming_a_key_in_two_cases_is_refused(writer, org):
    rows = [{"external_id": "N1", "full_name": "A"}, {"external_id": "n1", "full_name": "B"}]
    response = writer.post("/api/v1/people/bulk/", {"rows": rows})
    assert response.status_code == 400
    assert response.json()["errors"][0]["index"] == 1


def test_org_unit_keys_are_unique_ignoring_case(writer, org):
    response = writer.post("/api/v1/org-units/", {"external_id": "team1", "name": "Dup"})
    assert response.status_code == 409
    assert "'TEAM1'" in response.json()["message"]


def test_an_integrator_reads_an_etag_and_a_stale_one_is_refused(writer, ann):
    first = writer.get("/api/v1/people/E2/")
    etag = first["ETag"]
    assert etag.startswith('"')
    fixed = writer.patch("/api/v1/people/E2/", {"full_name": "Anna"}, HTTP_IF_MATCH=etag)
    assert fixed.status_code == 200
    stale = writer.patch("/api/v1/people/E2/", {"full_name": "Ann"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert set(stale.json()) == {"code", "message"}
    assert Person.objects.get(external_id="E2").full_name == "Anna"
    fresh = writer.get("/api/v1/people/E2/")["ETag"]
    assert fresh != etag
    assert writer.delete("/api/v1/people/E2/", HTTP_IF_MATCH=etag).status_code == 412
    assert writer.delete("/api/v1/people/E2/", HTTP_IF_MATCH=fresh).status_code == 204


def test_org_units_and_metric_definitions_carry_etags_too(writer, client_with_scopes, org):
    etag = writer.get("/api/v1/org-units/TEAM1/")["ETag"]
    writer.patch("/api/v1/org-units/TEAM1/", {"name": "Renamed"})
    assert (
        writer.put(
            "/api/v1/org-units/TEAM1/",
            {"name": "Back", "parent_external_id": "ORG"},
            HTTP_IF_MATCH=etag,
        ).status_code
        == 412
    )
    metrics = client_with_scopes("metrics:read", "metrics:write")
    metrics.post(
        "/api/v1/metric-definitions/",
        {
            "key": "hours",
            "name": "Hours",
            "unit": "h",
            "kind": "efficiency",
            "direction": "lower_is_better",
            "aggregation": "sum",
        },
    )
    tag = metrics.get("/api/v1/metric-definitions/hours/")["ETag"]
    url = "/api/v1/metric-definitions/hours/"
    assert metrics.patch(url, {"name": "H"}, HTTP_IF_MATCH=tag).status_code == 200
    stale = metrics.patch("/api/v1/metric-definitions/hours/", {"name": "X"}, HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    assert metrics.put("/api/v1/metric-definitions/hours/", {"name": "Y"}).status_code == 400

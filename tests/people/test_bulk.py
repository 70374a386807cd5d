"""Bulk upserts of people and org units: all-or-nothing, idempotent, set-based."""

import pytest

from people.models import OrgUnit, Person

pytestmark = pytest.mark.django_db


def _rows(n, start=0, unit="TEAM1"):
    return [
        {
            "external_id": f"E{i:05d}",
            "full_name": f"Person {i}",
            "email": f"p{i}@x.org",
            "org_unit_external_id": unit,
            "manager_external_id": f"E{i - 1:05d}" if i else None,
        }
        for i in range(start, start + n)
    ]


def test_a_bulk_create_reports_what_it_created(writer, org):
    response = writer.post("/api/v1/people/bulk/", {"rows": _rows(5)})
    assert response.status_code == 200
    assert response.json() == {"created": 5, "updated": 0, "unchanged": 0}
    assert Person.objects.get(external_id="E00004").manager.external_id == "E00003"


def test_resending_the_same_rows_changes_nothing(writer, org):
    writer.post("/api/v1/people/bulk/", {"rows": _rows(5)})
    stamps = dict(Person.objects.values_list("external_id", "updated_at"))
    response = writer.post("/api/v1/people/bulk/", {"rows": _rows(5)})
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 5}
    assert dict(Person.objects.values_list("external_id", "updated_at")) == stamps


def test_a_bad_row_in_the_middle_writes_nothing_and_is_reported_by_index(writer, org):
    rows = _rows(5)
    rows[2]["email"] = "not-an-email"
    rows[3]["org_unit_external_id"] = "NOPE"
    response = writer.post("/api/v1/people/bulk/", {"rows": rows})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert [(e["index"], e["field"]) for e in body["errors"]] == [
        (2, "email"),
        (3, "org_unit_external_id"),
    ]
    assert all(e["message"] for e in body["errors"])
    assert not Person.objects.exists()


def test_rows_may_name_managers_defined_later_in_the_batch(writer, org):
    rows = list(reversed(_rows(4)))
    assert writer.post("/api/v1/people/bulk/", {"rows": rows}).json()["created"] == 4
    assert Person.objects.get(external_id="E00001").manager.external_id == "E00000"


def test_org_units_may_name_parents_defined_later_in_the_batch(writer, db):
    rows = [
        {"external_id": "T", "name": "Team", "parent_external_id": "D"},
        {"external_id": "D", "name": "Dept", "parent_external_id": "ROOT"},
        {"external_id": "ROOT", "name": "Root", "parent_external_id": None},
    ]
    response = writer.post("/api/v1/org-units/bulk/", {"rows": rows})
    assert response.json() == {"created": 3, "updated": 0, "unchanged": 0}
    assert OrgUnit.objects.get(external_id="T").parent.parent.external_id == "ROOT"
    again = writer.post("/api/v1/org-units/bulk/", {"rows": rows}).json()
    assert again == {"created": 0, "updated": 0, "unchanged": 3}


def test_a_cycle_inside_the_batch_is_refused(writer, db):
    rows = [
        {"external_id": "A", "name": "A", "parent_external_id": "B"},
        {"external_id": "B", "name": "B", "parent_external_id": "A"},
    ]
    response = writer.post("/api/v1/org-units/bulk/", {"rows": rows})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"parent_external_id"}
    assert not OrgUnit.objects.exists()


def test_a_cycle_through_existing_people_is_refused(writer):
    a = Person.objects.create(external_id="A", full_name="A")
    Person.objects.create(external_id="B", full_name="B", manager=a)
    rows = [
        {"external_id": "A", "manager_external_id": "C"},
        {"external_id": "C", "full_name": "C", "manager_external_id": "B"},
    ]
    response = writer.post("/api/v1/people/bulk/", {"rows": rows})
    assert response.status_code == 400
    assert Person.objects.get(external_id="A").manager is None


def test_an_update_counts_only_rows_that_changed(writer, org):
    writer.post("/api/v1/people/bulk/", {"rows": _rows(3)})
    rows = _rows(3)
    rows[1]["full_name"] = "Renamed"
    rows.append({"external_id": "NEW", "full_name": "New"})
    response = writer.post("/api/v1/people/bulk/", {"rows": rows})
    assert response.json() == {"created": 1, "updated": 1, "unchanged": 2}


def test_keys_left_out_of_a_row_keep_their_values(writer, org):
    writer.post("/api/v1/people/bulk/", {"rows": _rows(2)})
    writer.post("/api/v1/people/bulk/", {"rows": [{"external_id": "E00001", "active": False}]})
    person = Person.objects.get(external_id="E00001")
    assert person.active is False and person.full_name == "Person 1" and person.org_unit == org


def test_a_new_row_needs_a_name_and_a_duplicate_key_is_reported(writer):
    rows = [
        {"external_id": "X"},
        {"external_id": "Y", "full_name": "Y"},
        {"external_id": "Y", "full_name": "Y"},
    ]
    errors = writer.post("/api/v1/people/bulk/", {"rows": rows}).json()["errors"]
    assert {(e["index"], e["field"]) for e in errors} == {(0, "full_name"), (2, "external_id")}
    errors = writer.post("/api/v1/people/bulk/", {"rows": rows[:2]}).json()["errors"]
    assert errors == [{"index": 0, "field": "full_name", "message": "This field is required."}]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"rows": "x"},
        {"rows": []},
        {"rows": [1, "a"]},
        [],
        {"rows": {"a": 1}},
        {"rows": [{"external_id": {}, "full_name": "x", "manager_external_id": "0"}]},
    ],
)
def test_a_malformed_bulk_body_is_a_400(writer, body):
    response = writer.post("/api/v1/people/bulk/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] in ("invalid", "invalid_rows")


def test_more_than_ten_thousand_rows_are_refused(writer):
    rows = [{"external_id": str(i)} for i in range(10_001)]
    response = writer.post("/api/v1/people/bulk/", {"rows": rows})
    assert response.status_code == 400 and "rows" in response.json()["fields"]


def test_malformed_json_is_a_400_parse_error(writer):
    response = writer.generic(
        "POST", "/api/v1/people/bulk/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_bulk_upsert_costs_a_handful_of_queries_at_any_size(
    writer, org, django_assert_num_queries
):
    writer.get("/api/v1/people/")  # records the token's first use
    # token, savepoint, the ids as the database's LOWER() sees them (per 500 rows), linked
    # logins' active flags (deactivation ends a login), existing rows, org units, manager
    # graph, insert, link managers, history records, release (plus
    # one for managers outside the batch when there are any).
    # (Inserts and updates go in batches of the database's parameter
    # limit: SQLite allows ~90 people or ~55 history records per INSERT, PostgreSQL 1,000.)
    with django_assert_num_queries(11) as small:
        writer.post("/api/v1/people/bulk/", {"rows": _rows(10)})
    bigger = _rows(50, start=10)
    bigger[0]["manager_external_id"] = None
    with django_assert_num_queries(len(small.captured_queries)):
        writer.post("/api/v1/people/bulk/", {"rows": bigger})


def test_ten_thousand_rows_go_through_in_one_request(writer, org):
    # How fast is the benchmark's question (bench/scenarios/ingest.py), not a unit test's.
    response = writer.post("/api/v1/people/bulk/", {"rows": _rows(10_000)})
    assert response.json() == {"created": 10_000, "updated": 0, "unchanged": 0}
    again = writer.post("/api/v1/people/bulk/", {"rows": _rows(10_000)})
    assert again.json()["unchanged"] == 10_000


def test_active_must_be_a_json_boolean(writer):
    rows = [
        {"external_id": "A", "full_name": "A", "active": 0},
        {"external_id": "B", "full_name": "B", "active": "yes"},
    ]
    errors = writer.post("/api/v1/people/bulk/", {"rows": rows}).json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [(0, "active"), (1, "active")]


def test_only_rows_on_a_cycle_are_refused_not_those_that_lead_into_one():
    from people.services import _on_cycles

    graph = {"T1": "T2", "T2": "A", "A": "B", "B": "C", "C": "A", "S": "S", "R": None, "X": "R"}
    assert _on_cycles(graph) == {"A", "B", "C", "S"}
    chain = {f"P{n}": f"P{n + 1}" for n in range(20_000)}  # one long management line
    assert _on_cycles(chain) == set()
    assert _on_cycles(chain | {"P20000": "P0"}) == set(chain) | {"P20000"}

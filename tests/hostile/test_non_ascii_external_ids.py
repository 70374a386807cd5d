"""External ids beyond ASCII, as schemathesis sent them: case is compared the way the
database's unique constraint compares it (SQLite folds only A-Z), so an update of such a
person is an update, and a case variant is a clear 400, never a 500 from the constraint."""

from urllib.parse import quote

import pytest

from people.models import OrgUnit, Person

pytestmark = pytest.mark.django_db

ASTRAL = "\U00063245F\U00010e47\U000adf4eÂö"  # 4-byte UTF-8 letters, then Â and ö


def _person_url(external_id: str) -> str:
    return f"/api/v1/people/{quote(external_id)}/"


@pytest.mark.parametrize("external_id", [ASTRAL, "ÂÖ-7", "Ωmega"])
def test_a_put_and_a_patch_of_a_person_with_such_an_id_update_them(hr, external_id):
    created = hr.post("/api/v1/people/", {"external_id": external_id, "full_name": "X"}, "json")
    assert created.status_code == 201
    body = {
        "full_name": "Uma Evans",
        "email": "",
        "org_unit_external_id": None,
        "manager_external_id": None,
        "active": False,
    }
    assert hr.put(_person_url(external_id), body, "json").status_code == 200
    assert hr.patch(_person_url(external_id), {"full_name": "Wen"}, "json").status_code == 200
    assert Person.objects.get(external_id=external_id).full_name == "Wen"


def test_a_bulk_re_send_of_such_ids_changes_nothing_the_second_time(hr):
    rows = [{"external_id": "'Ø¢\U000ceb7b¹\U00041c4bK", "name": "Tx", "parent_external_id": None}]
    first = hr.post("/api/v1/org-units/bulk/", {"rows": rows}, "json")
    again = hr.post("/api/v1/org-units/bulk/", {"rows": rows}, "json")
    assert first.status_code == again.status_code == 200
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 1}
    assert OrgUnit.objects.filter(name="Tx").count() == 1


def test_two_rows_of_one_batch_the_database_sees_as_one_id_are_refused_by_row(hr):
    rows = [{"external_id": "Team-A", "name": "one"}, {"external_id": "team-a", "name": "two"}]
    answer = hr.post("/api/v1/org-units/bulk/", {"rows": rows}, "json")
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {"index": 1, "field": "external_id", "message": "Also in row 0."}
    ]

"""A member (or someone with no role) tries to read the whole directory with their session:
every person's e-mail, manager and org unit through `/api/v1/people/`, the person picker and
the admin. People data is on a need-to-know basis (people.permissions)."""

import pytest
from django.test import Client

from people.models import Person
from tests.pilots.conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(bob, carol, dan, erin, hilda):
    """Bob sponsors; carol coaches erin; dan is elsewhere. Everyone has an e-mail."""
    for person in Person.objects.all():
        person.email = f"{person.external_id.lower()}@example.com"
        person.manager = hilda.person if person != hilda.person else None
        person.save()
    make_workgroup(make_pilot(bob), bob, carol, members=[erin])


def _people(api, user) -> dict[str, dict]:
    api.force_authenticate(user)
    answer = api.get("/api/v1/people/", {"page_size": 100})
    assert answer.status_code == 200, answer.content
    return {row["external_id"]: row for row in answer.json()["results"]}


def test_a_member_sees_themselves_and_the_names_of_their_own_workgroup(api, team, erin):
    rows = _people(api, erin)
    assert set(rows) == {"P-ERIN", "P-CAROL"}
    assert rows["P-ERIN"]["email"] == "p-erin@example.com"  # their own record, in full
    carol = rows["P-CAROL"]
    assert carol["full_name"] == "Carol"
    assert (carol["email"], carol["manager_external_id"], carol["org_unit_external_id"]) == (
        None, None, None,
    )  # fmt: skip


def test_someone_without_a_role_sees_only_themselves(api, team, mallory):
    assert set(_people(api, mallory)) <= {"P-MALLORY"}


def test_a_member_cannot_read_another_person_by_external_id(api, team, erin):
    api.force_authenticate(erin)
    assert api.get("/api/v1/people/P-DAN/").status_code == 404


def test_a_supervisor_sees_their_groups_people_without_their_details(api, team, carol):
    rows = _people(api, carol)
    assert set(rows) == {"P-CAROL", "P-ERIN"}
    assert rows["P-ERIN"]["email"] is None


def test_hr_admins_portfolio_leaders_and_people_read_clients_see_everything(
    api, team, hilda, alice, client_with_scopes
):
    for user in (hilda, alice):
        rows = _people(api, user)
        assert rows["P-DAN"]["email"] == "p-dan@example.com"
        assert rows["P-DAN"]["manager_external_id"] == "P-HILDA"
    reader = client_with_scopes("people:read")
    rows = {r["external_id"]: r for r in reader.get("/api/v1/people/").json()["results"]}
    assert rows["P-DAN"]["email"] == "p-dan@example.com"


def _picked(user, q: str) -> list[str]:
    browser = Client()
    browser.force_login(user)
    answer = browser.get("/people/search/", {"q": q})
    assert answer.status_code == 200
    return [row["external_id"] for row in answer.json()["results"]]


def test_the_person_picker_follows_the_same_rule(team, erin, bob):
    assert _picked(erin, "Dan") == []  # not in erin's workgroup
    assert _picked(erin, "Carol") == ["P-CAROL"]
    assert _picked(bob, "Dan") == ["P-DAN"]  # a sponsor finds anyone by name to set up pilots


def test_the_picker_cannot_be_used_to_probe_e_mails(team, bob, hilda):
    assert _picked(bob, "p-dan@example.com") == []
    assert _picked(hilda, "p-dan@example.com") == ["P-DAN"]

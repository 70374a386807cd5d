"""The pilot's audit trail as a person reads it on `/pilots/<id>/history/`: each row says who
(the person, not the login), when, what changed from what to what in one sentence, and why;
members, ties, charters and baselines included, and no row told twice."""

import datetime as dt
import html
import re

import pytest

from core.history import acting_as
from metrics.baselines import baseline_rebaseline
from metrics.models import MetricDefinition
from pilots import services, workgroups

from .conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(db):
    return MetricDefinition.objects.create(
        key="cases_closed", name="Cases closed", unit="cases", kind="performance",
        direction="higher_is_better", aggregation="mean",
    )  # fmt: skip


@pytest.fixture
def story(alice, bob, carol, erin, dan, cases):
    """bob sets up "Claims pilot" and moves its review date, carol signs, bob confirms her
    assurance, adds a tie and removes dan, alice approves ("Ready"), bob starts it (no data:
    a stated reason) and re-baselines carol."""
    with acting_as(user=bob):
        pilot = make_pilot(bob)
        group = make_workgroup(pilot, bob, carol, members=[erin, dan])
        services.pilot_update(pilot=pilot, by=bob, data={"review_date": dt.date(2027, 7, 1)})
        workgroups.tie_add(workgroup=group, by=bob, counterpart="Legal", frequency=3, strength=2)
        workgroups.workgroup_member_remove(workgroup=group, by=bob, person=dan.person)
    with acting_as(user=carol):
        workgroups.charter_sign(
            workgroup=group, by=carol, open_minded=True, risk_tolerant=True,
            customer_commitment=True,
        )  # fmt: skip
    with acting_as(user=bob):
        workgroups.charter_confirm_assurance(workgroup=group, by=bob)
    with acting_as(user=alice):
        services.pilot_approve(
            pilot=pilot, by=alice, reason="Ready", acknowledge_low_containment=True
        )
    with acting_as(user=bob):
        services.pilot_start(pilot=pilot, by=bob, override_reason="New team, no data yet.")
        baseline_rebaseline(
            pilot=pilot, person=carol.person, metric=cases, by=bob, reason="Data arrived late."
        )
    return pilot


def _rows(client, pilot) -> list[dict]:
    """The history table's rows as text: when, who, what, changes, why."""
    page = client.get(f"/pilots/{pilot.pk}/history/?page_size=100").content.decode()
    table = page[page.index('id="pilot-history"') :]
    rows = []
    for row in re.findall(r"<tr data-action.*?</tr>", table, flags=re.S):
        cells = [
            " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell.replace("<li>", " "))).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        ]
        rows.append(dict(zip(["when", "who", "what", "changes", "why"], cells, strict=True)))
    return rows


def _read(client, user, pilot) -> list[dict]:
    client.force_login(user)
    return _rows(client, pilot)


def _row(rows, what: str) -> dict:
    found = [row for row in rows if row["what"] == what]
    assert len(found) == 1, (what, [row["what"] for row in rows])
    return found[0]


def test_a_changed_date_reads_from_what_to_what(client, story, bob):
    row = _row(_read(client, bob, story), "Bob changed Review date from 1 Jun 2027 to 1 Jul 2027")
    assert row["who"] == "Bob"
    assert re.fullmatch(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d", row["when"])


def test_the_supervisor_signing_reads_as_her_signature(client, story, bob):
    row = _row(_read(client, bob, story), "Carol signed the charter of Triage")
    assert row["who"] == "Carol"
    assert "Open minded: no → yes" in row["changes"]


def test_the_sponsors_assurance_is_in_the_trail(client, story, bob):
    _row(_read(client, bob, story), "Bob confirmed the assurance for the supervisor of Triage")


def test_members_added_and_removed_read_by_name(client, story, erin):
    rows = _read(client, erin, story)
    _row(rows, "Bob added Erin to Triage")
    _row(rows, "Bob removed Dan from Triage")


def test_a_tie_reads_with_its_frequency_and_strength(client, story, bob):
    _row(_read(client, bob, story), "Bob added a tie of Triage to Legal (weekly, moderate)")


def test_a_move_reads_with_who_took_it_and_why(client, story, bob):
    rows = _read(client, bob, story)
    approval = _row(rows, "Alice moved the pilot from Draft to Approved")
    assert (approval["who"], approval["why"]) == ("Alice", "Ready")
    _row(rows, "Bob moved the pilot from Approved to Running")


def test_baselines_read_frozen_then_re_baselined_for_whoever_may_read_them(client, story, carol):
    rows = _read(client, carol, story)
    _row(rows, "Bob froze Carol's baseline of Cases closed with no data in the window")
    rebaselined = _row(rows, "Bob re-baselined Carol's baseline of Cases closed (version 2)")
    assert rebaselined["why"] == "Data arrived late."


def test_no_row_is_told_twice_and_no_blank_charter_is_listed(client, story, bob):
    rows = _read(client, bob, story)
    told = [(row["when"], row["what"]) for row in rows]
    assert len(told) == len(set(told))
    assert not [row for row in rows if "Charter of Triage" in row["what"]]


def test_the_api_carries_the_sentence_beside_the_plain_values(api, story, bob):
    api.force_authenticate(bob)
    entries = api.get(f"/api/v1/pilots/{story.pk}/history/", {"page_size": 100}).json()
    moved = next(e for e in entries["results"] if e["summary"].startswith("Bob changed Review"))
    assert moved["actor"] == {"type": "user", "name": "bob"}
    assert {"field": "review_date", "label": "Review date", "from": "2027-06-01",
            "to": "2027-07-01"} in moved["changes"]  # fmt: skip


def test_a_service_run_outside_a_request_names_who_it_acted_for(client, alice, bob, carol):
    """A task, a command or the demo calls the services with `by` and no request: the
    history still names that person, never "the system"."""
    pilot = make_pilot(bob)
    make_workgroup(pilot, bob, carol)
    services.pilot_approve(pilot=pilot, by=alice, reason="Ready", acknowledge_low_containment=True)
    rows = _read(client, bob, pilot)
    assert _row(rows, "Alice moved the pilot from Draft to Approved")["why"] == "Ready"
    assert _row(rows, "Bob created the pilot Claims pilot")["who"] == "Bob"
    assert not [row for row in rows if row["who"] == "The system"]


def test_the_pilot_pages_lifecycle_table_names_people_not_logins(client, story, bob):
    client.force_login(bob)
    page = client.get(f"/pilots/{story.pk}/").content.decode()
    table = page[page.index('id="transitions"') :]
    table = table[: table.index("</table>")]
    assert "<td>Alice</td>" in table and "<td>alice</td>" not in table

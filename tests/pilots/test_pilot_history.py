"""A pilot's history for a dispute: `GET /api/v1/pilots/{id}/history/` and its page. Members,
ties, charters, moves with their reasons and frozen baselines, each with its actor; readable
by whoever may see the pilot, baseline figures only by those who may read them."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from core.history import acting_as
from metrics.baselines import baseline_rebaseline
from metrics.models import MetricDefinition
from pilots import workgroups

from .conftest import complete_charter, make_workgroup

START = timezone.make_aware(dt.datetime(2026, 12, 1, 9))


@pytest.fixture
def cases(db):
    return MetricDefinition.objects.create(
        key="cases_closed", name="Cases", unit="cases", kind="performance",
        direction="higher_is_better", aggregation="mean",
    )  # fmt: skip


@pytest.fixture
def story(api, alice, bob, carol, erin, dan, cases):
    """Bob sets the pilot up over the API and through the services (as bob), carol signs,
    alice (a portfolio leader, not the sponsor) approves, it starts without data (a stated
    reason), bob re-baselines and drops dan."""
    api.force_authenticate(bob)
    answer = api.post(
        "/api/v1/pilots/",
        {"name": "Claims pilot", "approach": "work_redefinition", "vision": "v",
         "pain_point": "p", "demonstration_project": "d", "planned_start": "2026-12-01",
         "review_date": "2027-06-01"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    from pilots.models import Pilot

    pilot = Pilot.objects.get(pk=answer.json()["id"])
    with acting_as(user=bob):
        group = make_workgroup(pilot, bob, carol, members=[erin, dan])
        workgroups.tie_add(workgroup=group, by=bob, counterpart="Legal", frequency=3, strength=2)
    with acting_as(user=carol):
        complete_charter(group, bob, carol)
    api.force_authenticate(alice)
    answer = api.post(f"/api/v1/pilots/{pilot.pk}/approve/", {"reason": "Ready"}, format="json")
    assert answer.status_code == 200, answer.content
    api.force_authenticate(bob)
    with acting_as(user=bob):
        workgroups.workgroup_member_remove(workgroup=group, by=bob, person=dan.person)
    api.post(
        f"/api/v1/pilots/{pilot.pk}/start/",
        {"override_reason": "New team, no data yet."},
        format="json",
    )
    baseline_rebaseline(
        pilot=pilot, person=carol.person, metric=cases, by=bob, reason="Data arrived late."
    )
    return pilot


def _entries(api, pilot, **params) -> list[dict]:
    answer = api.get(f"/api/v1/pilots/{pilot.pk}/history/", params)
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def test_the_pilots_history_tells_who_did_what_and_why(story, api, bob):
    api.force_authenticate(bob)
    entries = _entries(api, story, page_size=100)
    kinds = {(e["subject"]["type"], e["action"]) for e in entries}
    assert {
        ("pilot", "created"),
        ("pilot", "changed"),
        ("workgroup", "created"),
        ("workgroupmember", "created"),
        ("workgroupmember", "deleted"),
        ("tie", "created"),
        ("charter", "changed"),
        ("baseline", "frozen"),
        ("baseline", "re-baselined"),
    } <= kinds
    approved = {"field": "status", "label": "Status", "from": "Draft", "to": "Approved"}
    approval = next(
        e for e in entries if e["subject"]["type"] == "pilot" and approved in e["changes"]
    )
    assert (approval["actor"], approval["reason"]) == ({"type": "user", "name": "alice"}, "Ready")
    removed = next(e for e in entries if e["action"] == "deleted")
    assert (removed["subject"]["name"], removed["actor"]["name"]) == ("Dan in Triage", "bob")
    signed = [
        e for e in entries if e["subject"]["type"] == "charter" and e["actor"]["name"] == "carol"
    ]
    assert signed
    rebaselined = next(e for e in entries if e["action"] == "re-baselined")
    assert rebaselined["reason"] == "Data arrived late."
    assert {"field": "version", "label": "Version", "from": "1", "to": "2"} in rebaselined[
        "changes"
    ]
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)


def test_no_entry_repeats_another(story, api, bob):
    api.force_authenticate(bob)
    entries = _entries(api, story, page_size=100)
    keys = [(e["at"], e["subject"]["type"], e["subject"]["id"], e["action"]) for e in entries]
    assert len(keys) == len(set(keys))
    assert all(e["changes"] or e["action"] == "deleted" for e in entries)


def test_a_member_sees_the_pilots_history_but_no_baseline_figures(story, api, erin):
    api.force_authenticate(erin)
    entries = _entries(api, story, page_size=100)
    assert entries
    assert not [e for e in entries if e["subject"]["type"] == "baseline"]


def test_the_supervisor_sees_their_own_baselines(story, api, carol):
    api.force_authenticate(carol)
    baselines = [
        e for e in _entries(api, story, page_size=100) if e["subject"]["type"] == "baseline"
    ]
    assert baselines and all("Carol" in e["subject"]["name"] for e in baselines)


@pytest.mark.parametrize("who", ["mallory", "dan"])
def test_people_who_cannot_see_the_pilot_cannot_read_its_history(story, api, request, who):
    """Dan was a member until he was removed; mallory never was."""
    api.force_authenticate(request.getfixturevalue(who))
    assert api.get(f"/api/v1/pilots/{story.pk}/history/").status_code == 404


def test_a_pilots_client_reads_the_history_and_baselines_only_with_metrics_read(
    story, client_with_scopes
):
    pilots_only = client_with_scopes("pilots:read")
    with_metrics = client_with_scopes("pilots:read", "metrics:read")
    nothing = client_with_scopes("people:read")
    assert not [
        e for e in _entries(pilots_only, story, page_size=100) if e["subject"]["type"] == "baseline"
    ]
    assert [
        e
        for e in _entries(with_metrics, story, page_size=100)
        if e["subject"]["type"] == "baseline"
    ]
    assert nothing.get(f"/api/v1/pilots/{story.pk}/history/").status_code == 403


def test_the_history_costs_the_same_queries_at_any_length(
    story, api, bob, erin, django_assert_num_queries
):
    api.force_authenticate(bob)
    # the pilot; its own, workgroups', members', ties', initiatives', charters' and
    # decisions' records; the baselines; the logins, people, org units and workgroups named
    with django_assert_num_queries(13):
        _entries(api, story)
    group = story.workgroups.get()
    with acting_as(user=bob):
        for n in range(5):
            workgroups.tie_add(
                workgroup=group, by=bob, counterpart=f"Team {n}", frequency=1, strength=1
            )
    with django_assert_num_queries(13):
        _entries(api, story)


def test_the_history_page_shows_it_to_whoever_sees_the_pilot(story, erin, mallory):
    browser = Client()
    browser.force_login(erin)
    page = browser.get(f"/pilots/{story.pk}/history/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Draft → Approved" in html and "Ready" in html
    assert "Data arrived late." not in html  # a baseline change, not erin's to read
    browser.force_login(mallory)
    assert browser.get(f"/pilots/{story.pk}/history/").status_code == 404


def test_the_pilot_page_links_to_its_history(story, bob):
    browser = Client()
    browser.force_login(bob)
    assert f"/pilots/{story.pk}/history/" in browser.get(f"/pilots/{story.pk}/").content.decode()


@pytest.mark.parametrize("pilot_id", ["null,null", "abc", "99999999999999999999999"])
def test_a_pilot_id_that_is_not_a_number_is_a_json_404_not_a_server_error(api, bob, pilot_id):
    # Found by schemathesis: Django's get_object_or_404 let the int conversion's ValueError out.
    api.force_authenticate(bob)
    answer = api.get(f"/api/v1/pilots/{pilot_id}/history/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"

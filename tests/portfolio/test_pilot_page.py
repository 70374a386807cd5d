"""A pilot's chart page: visible to whoever sees the pilot, constant queries, empty states."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pilots.models import PilotStatus
from portfolio.models import RollupState
from portfolio.rollups import rollups_refresh
from portfolio.selectors import freshness_label

from .conftest import make_cycle, make_pilot, make_workgroup

pytestmark = pytest.mark.django_db


def test_a_draft_pilot_shows_empty_charts_rather_than_failing(client, alice, carol, rate):
    pilot = make_pilot(alice, status=PilotStatus.DRAFT, started_at=None)
    make_workgroup(pilot, carol)
    client.force_login(alice)
    response = client.get(reverse("portfolio:pilot", args=[pilot.pk]))
    assert response.status_code == 200
    assert {c.key: c.rows for c in response.context["charts"]}["cadence"] == []


def test_the_sponsor_and_the_groups_supervisor_may_open_the_pilots_charts(
    client, bob, carol, dan, rate
):
    pilot = make_pilot(bob)
    make_workgroup(pilot, carol)
    url = reverse("portfolio:pilot", args=[pilot.pk])
    for user, status in [(bob, 200), (carol, 200), (dan, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status


@pytest.mark.parametrize("groups", [1, 4])
def test_the_pilot_page_takes_the_same_queries_whatever_the_number_of_groups_and_cycles(
    client, alice, carol, rate, groups, django_assert_num_queries
):
    pilot = make_pilot(alice)
    for g in range(groups):
        workgroup = make_workgroup(pilot, carol, name=f"Group {g}")
        for n in range(g + 1):
            day = f"2026-06-{10 + 3 * n:02d}"
            make_cycle(workgroup, number=n + 1, started=day, completed=day)
    rollups_refresh()
    client.force_login(alice)
    url = reverse("portfolio:pilot", args=[pilot.pk])
    client.get(url)
    # session, user, permissions (2), pilot, settings, dashboard row (pilot, totals, months,
    # workgroups with cadence and self-containment sums), the page's workgroups, month
    # rollups, workgroup rollups, cycle starts, freshness, groups (menu roles), the
    # supervisors' weekly splits (strategic share), the cycles' confidence
    with django_assert_num_queries(18):
        client.get(url)


def test_the_refresh_task_rebuilds_the_rollups_and_runs_twice_a_minute(db):
    from config.celery import app
    from portfolio.tasks import refresh_rollups

    refresh_rollups.delay()
    assert RollupState.objects.get(pk=1).refreshed_at is not None
    entry = app.conf.beat_schedule["portfolio-refresh-rollups"]
    # Every 30 s: a write is in the figures within a minute, the refresh's own time included.
    assert (entry["task"], entry["schedule"]) == ("portfolio.tasks.refresh_rollups", 30.0)


@pytest.mark.parametrize(
    ("age", "label"),
    [
        (timedelta(seconds=40), "updated 40 s ago"),
        (timedelta(minutes=12), "updated 12 min ago"),
        (timedelta(hours=5), "updated 5 h ago"),
        (timedelta(days=3), "updated 3 days ago"),
    ],
)
def test_freshness_reads_as_plain_words(age, label):
    now = timezone.now()
    assert freshness_label(RollupState(refreshed_at=now - age), now=now) == label


def test_freshness_before_any_refresh_says_so():
    assert freshness_label(None) == "not computed yet"

"""Cadence: a running pilot's workgroup is overdue once more than cadence_days whole days
have passed since its last cycle started (or the pilot started, before any cycle)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from coaching import services
from coaching.cadence import is_overdue, week_start
from coaching.selectors import overdue_workgroups, with_cadence
from pilots.models import Pilot, PilotStatus, Workgroup

from .conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db

STARTED = timezone.make_aware(datetime(2026, 11, 10, 15, 30))


def _overdue_on(workgroup, day: date) -> bool:
    return with_cadence(Workgroup.objects.filter(pk=workgroup.pk), today=day).get().is_overdue


def test_exactly_cadence_days_after_the_last_cycle_is_not_yet_overdue(workgroup, carol):
    services.cycle_start(workgroup=workgroup, by=carol, at=STARTED)
    assert not _overdue_on(workgroup, date(2026, 11, 24))
    assert _overdue_on(workgroup, date(2026, 11, 25))


def test_a_cycle_started_at_midnight_is_due_the_same_day_fourteen_days_later(workgroup, carol):
    midnight = timezone.make_aware(datetime(2026, 11, 10))
    services.cycle_start(workgroup=workgroup, by=carol, at=midnight)
    assert not _overdue_on(workgroup, date(2026, 11, 24))
    assert _overdue_on(workgroup, date(2026, 11, 25))


def test_before_any_cycle_the_pilot_start_counts(workgroup):
    Pilot.objects.filter(pk=workgroup.pilot_id).update(started_at=STARTED)
    assert not _overdue_on(workgroup, date(2026, 11, 24))
    assert _overdue_on(workgroup, date(2026, 11, 25))


def test_the_workgroups_own_cadence_is_used(bob, dan):
    pilot = make_pilot(bob, name="Weekly")
    Pilot.objects.filter(pk=pilot.pk).update(started_at=STARTED)
    weekly = make_workgroup(pilot, dan, cadence_days=7)
    assert not _overdue_on(weekly, date(2026, 11, 17))
    assert _overdue_on(weekly, date(2026, 11, 18))


def test_the_python_rule_agrees_with_the_query_at_the_edges():
    assert not is_overdue(reference=STARTED, cadence_days=14, today=date(2026, 11, 24))
    assert is_overdue(reference=STARTED, cadence_days=14, today=date(2026, 11, 25))


def test_only_running_pilots_are_overdue(bob, carol):
    for n, status in enumerate([PilotStatus.REVIEWING, PilotStatus.STOPPED, PilotStatus.SCALED]):
        pilot = make_pilot(bob, status=status, started_days_ago=200, name=f"P{n}")
        make_workgroup(pilot, carol, name=f"G{n}")
    running = make_workgroup(make_pilot(bob, started_days_ago=200, name="Run"), carol)
    assert list(overdue_workgroups()) == [running]


def test_the_latest_cycle_resets_the_clock(workgroup, carol):
    services.cycle_start(workgroup=workgroup, by=carol, at=STARTED - timedelta(days=40))
    cycle = workgroup.cycles.get()
    services.cycle_abandon(cycle=cycle, by=carol, reason="x", at=STARTED - timedelta(days=39))
    services.cycle_start(workgroup=workgroup, by=carol, at=STARTED)
    annotated = with_cadence(Workgroup.objects.filter(pk=workgroup.pk), today=STARTED.date())
    assert annotated.get().last_cycle_at == STARTED


def test_a_digest_week_starts_on_monday():
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)

"""Baselines freeze atomically with the pilots engineer's pilot_start: no pilot runs without
its baselines, unless the sponsor overrides missing data with a reason."""

import datetime as dt

import pytest
from django.utils import timezone

from core.errors import DomainError
from metrics.models import Baseline
from pilots import services
from pilots.models import Pilot, PilotStatus
from tests.pilots.conftest import approve, complete_charter, make_pilot, make_workgroup

from .conftest import weekly

AT = timezone.make_aware(dt.datetime(2026, 12, 1, 9))


@pytest.fixture
def approved(bob, carol):
    pilot = make_pilot(bob)
    complete_charter(make_workgroup(pilot, bob, carol), bob, carol)
    return approve(pilot, bob)


def test_starting_a_pilot_freezes_its_supervisors_baselines(approved, bob, carol, cases):
    weekly(cases, carol.person, ["10", "20"], dt.date(2026, 11, 16) - dt.timedelta(weeks=1))
    services.pilot_start(pilot=approved, by=bob, at=AT)
    baseline = Baseline.objects.get()
    assert (baseline.person, baseline.value, baseline.observation_count) == (carol.person, 15, 2)
    assert baseline.frozen_at == AT


def test_missing_data_blocks_the_start_and_nothing_changes(approved, bob, carol, cases):
    with pytest.raises(DomainError) as caught:
        services.pilot_start(pilot=approved, by=bob, at=AT)
    assert caught.value.code == "baseline_missing_data"
    approved = Pilot.objects.get(pk=approved.pk)
    assert approved.status == PilotStatus.APPROVED and approved.started_at is None
    assert not Baseline.objects.exists()


def test_the_sponsor_overrides_missing_data_with_a_reason(approved, bob, carol, cases):
    services.pilot_start(pilot=approved, by=bob, at=AT, override_reason="New team, no history.")
    approved = Pilot.objects.get(pk=approved.pk)
    assert approved.status == PilotStatus.RUNNING
    assert approved.baseline_override_reason == "New team, no history."
    assert Baseline.objects.get().value is None

"""Coaching fixtures: bob sponsors a running pilot whose workgroups carol and dan coach;
erin is a member of carol's group. Pilots and workgroups are written directly
(tests/factories.py), not through the pilots services."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coaching import services
from pilots.models import PilotStatus
from tests.factories import PilotFactory, make_workgroup


def make_pilot(sponsor, *, status=PilotStatus.RUNNING, started_days_ago=60, name="Claims pilot"):
    started = timezone.now() - timedelta(days=started_days_ago)
    return PilotFactory(
        name=name,
        sponsor=sponsor.person,
        planned_start=started.date(),
        status=status,
        started_at=started if status != PilotStatus.DRAFT else None,
    )


@pytest.fixture
def pilot(bob):
    return make_pilot(bob)


@pytest.fixture
def workgroup(pilot, carol, erin):
    return make_workgroup(pilot, carol, members=[erin])


@pytest.fixture
def other_workgroup(pilot, dan):
    return make_workgroup(pilot, dan, name="Intake")


def run_full_cycle(workgroup, user, *, changes_next="Pair new starters with a veteran.", at=None):
    """A cycle taken through all four stages, as a supervisor would."""
    cycle = services.cycle_start(workgroup=workgroup, by=user, at=at)
    services.cycle_save_data(cycle=cycle, by=user, data_sought="Queue age by day", context="Q4")
    services.cycle_complete_stage(cycle=cycle, by=user, at=at)
    services.cycle_add_action(
        cycle=cycle, by=user, description="Call the top five claimants", kind="relationship"
    )
    services.cycle_complete_stage(cycle=cycle, by=user, at=at)
    services.cycle_save_reflection(cycle=cycle, by=user, learned="Calls beat emails", confidence=7)
    services.cycle_complete_stage(cycle=cycle, by=user, at=at)
    services.cycle_save_adaptation(cycle=cycle, by=user, changes_next=changes_next)
    services.cycle_complete_stage(cycle=cycle, by=user, at=at)
    cycle.refresh_from_db()
    return cycle


@pytest.fixture
def today():
    return date.today()

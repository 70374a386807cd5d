"""Coaching fixtures: bob sponsors a running pilot whose workgroups carol and dan coach;
erin is a member of carol's group. Workgroups are created directly (no pilots services)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coaching import services
from pilots.models import Approach, Pilot, PilotStatus, Workgroup, WorkgroupMember


def make_pilot(sponsor, *, status=PilotStatus.RUNNING, started_days_ago=60, name="Claims pilot"):
    started = timezone.now() - timedelta(days=started_days_ago)
    return Pilot.objects.create(
        name=name,
        approach=Approach.WORK_REDEFINITION,
        vision="People find and fix what slows customers down.",
        pain_point="Claims wait weeks.",
        demonstration_project="Same-day claims triage.",
        sponsor=sponsor.person,
        planned_start=started.date(),
        review_date=started.date() + timedelta(weeks=26),
        status=status,
        started_at=started if status != PilotStatus.DRAFT else None,
    )


def make_workgroup(pilot, supervisor, *, name="Triage", members=(), cadence_days=14):
    workgroup = Workgroup.objects.create(
        pilot=pilot, name=name, supervisor=supervisor.person, cadence_days=cadence_days
    )
    for member in members:
        WorkgroupMember.objects.create(workgroup=workgroup, person=member.person)
    return workgroup


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

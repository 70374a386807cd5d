"""Pilot fixtures built through the real services: bob sponsors "Claims pilot" (a draft),
whose workgroup "Triage" carol supervises with erin as a member."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from pilots import services, workgroups
from pilots.models import Approach

PLANNED = date(2026, 12, 1)


def make_pilot(sponsor, *, name="Claims pilot", approach=Approach.WORK_REDEFINITION, **extra):
    return services.pilot_create(
        by=sponsor,
        name=name,
        approach=approach,
        vision="People find and fix what slows customers down.",
        pain_point="Claims wait weeks.",
        demonstration_project="Same-day claims triage.",
        planned_start=PLANNED,
        review_date=PLANNED + timedelta(weeks=26),
        **extra,
    )


def make_workgroup(pilot, sponsor, supervisor, *, name="Triage", members=()):
    workgroup = workgroups.workgroup_create(
        pilot=pilot, by=sponsor, name=name, supervisor=supervisor.person
    )
    for member in members:
        workgroups.workgroup_member_add(workgroup=workgroup, by=sponsor, person=member.person)
    return workgroup


def complete_charter(workgroup, sponsor, supervisor):
    workgroups.charter_sign(
        workgroup=workgroup,
        by=supervisor,
        open_minded=True,
        risk_tolerant=True,
        customer_commitment=True,
    )
    return workgroups.charter_confirm_assurance(workgroup=workgroup, by=sponsor)


def approve(pilot, sponsor=None):
    """Approve as the rules ask: a portfolio leader other than the sponsor when there is one
    (alice in most tests), else the sponsor in an organisation that allows self-approval."""
    from django.contrib.auth.models import User

    from portfolio.models import OrganisationSettings

    leader = (
        User.objects.filter(groups__permissions__codename="view_portfolio", person__active=True)
        .exclude(person__pk=pilot.sponsor_id)
        .order_by("pk")
        .first()
    )
    if leader is None:
        settings = OrganisationSettings.load()
        settings.allow_self_approval = True
        settings.save()
        leader = sponsor or pilot.sponsor.user
    return services.pilot_approve(pilot=pilot, by=leader, acknowledge_low_containment=True)


def running_pilot(sponsor, supervisor, *, members=(), name="Claims pilot", at=None):
    """A pilot taken through approval and start, as a sponsor would."""
    pilot = make_pilot(sponsor, name=name)
    workgroup = make_workgroup(pilot, sponsor, supervisor, name=f"{name} group", members=members)
    complete_charter(workgroup, sponsor, supervisor)
    approve(pilot, sponsor)
    services.pilot_start(pilot=pilot, by=sponsor, at=at or timezone.now())
    return pilot


@pytest.fixture
def pilot(bob):
    return make_pilot(bob)


@pytest.fixture
def workgroup(pilot, bob, carol, erin):
    return make_workgroup(pilot, bob, carol, members=[erin])


@pytest.fixture
def ready_pilot(pilot, workgroup, bob, carol):
    """Approved, every charter complete: ready to start."""
    complete_charter(workgroup, bob, carol)
    approve(pilot, bob)
    return pilot

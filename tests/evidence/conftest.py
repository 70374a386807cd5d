"""Evidence fixtures: a pilot of four workgroups that bob sponsors (carol supervises one,
erin is a member), a draft "next wave" of six workgroups that alice sponsors (the natural
comparison pool), and weekly workgroup observations with a known effect on hours freed and
none on first-contact resolution. The pilot is started through the real service."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from metrics.models import MetricDefinition, Observation, SubjectType
from people.models import Person
from pilots import services
from pilots.models import Charter, Pilot, PilotStatus, Workgroup
from tests.factories import PersonFactory, PilotFactory, WorkgroupFactory

PRE_WEEKS = 12
EFFECT = 5.0


def monday_weeks_ago(weeks: int) -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks)


def person(key: str, org) -> Person:
    return PersonFactory(external_id=key, org_unit=org)


def pilot_of(sponsor, name: str, status=PilotStatus.APPROVED, start=None) -> Pilot:
    return PilotFactory(
        name=name,
        sponsor=sponsor.person,
        planned_start=start or monday_weeks_ago(10),
        status=status,
    )


def group(pilot, name, supervisor: Person, members=()) -> Workgroup:
    workgroup = WorkgroupFactory(pilot=pilot, name=name, supervisor=supervisor, members=members)
    now = timezone.now()
    Charter.objects.create(
        workgroup=workgroup, open_minded=True, risk_tolerant=True, customer_commitment=True,
        signed_at=now, assurance_confirmed_at=now,
    )  # fmt: skip
    return workgroup


@pytest.fixture
def hours(db):
    return MetricDefinition.objects.create(
        key="hours_freed", name="Hours freed", unit="hours", kind="efficiency",
        direction="higher_is_better", aggregation="sum",
    )  # fmt: skip


@pytest.fixture
def first_contact(db):
    return MetricDefinition.objects.create(
        key="first_contact", name="First-contact resolution", unit="%", kind="value",
        direction="higher_is_better", aggregation="mean",
    )  # fmt: skip


def weekly(metric, groups, *, first: dt.date, weeks: int, rng, effect=0.0, after=None):
    rows = []
    for workgroup in groups:
        level = rng.normal(40, 6)
        for w in range(weeks):
            day = first + dt.timedelta(weeks=w)
            value = level + 0.1 * w + rng.normal(0, 2)
            if after is not None and day >= after:
                value += effect
            rows.append(
                Observation(
                    metric=metric, subject_type=SubjectType.WORKGROUP, subject_id=workgroup.pk,
                    period_start=day, period_end=day + dt.timedelta(days=6),
                    value=Decimal(f"{value:.4f}"), source="test",
                )
            )  # fmt: skip
    Observation.objects.bulk_create(rows)


@pytest.fixture
def pool(alice, org):
    """The next wave: a draft pilot with six workgroups that may be comparison groups."""
    wave = pilot_of(alice, "Next wave", status=PilotStatus.DRAFT)
    return [group(wave, f"Wave team {n}", person(f"WS{n}", org)) for n in range(6)]


@pytest.fixture
def pilot(bob, carol, erin, org):
    pilot = pilot_of(bob, "Claims redefined")
    supervisors = [carol.person] + [person(f"S{n}", org) for n in range(3)]
    for n, supervisor in enumerate(supervisors):
        group(pilot, f"Claims team {n}", supervisor, members=[erin.person] if n == 0 else [])
    return pilot


@pytest.fixture
def data(pilot, pool, hours, first_contact):
    """Weekly data from PRE_WEEKS before the start to today; the effect on hours freed."""
    start = pilot.planned_start
    first = start - dt.timedelta(weeks=PRE_WEEKS)
    weeks = (timezone.localdate() - first).days // 7
    rng = np.random.default_rng(1)
    own = list(pilot.workgroups.all())
    weekly(hours, own, first=first, weeks=weeks, rng=rng, effect=EFFECT, after=start)
    weekly(hours, pool, first=first, weeks=weeks, rng=rng)
    weekly(first_contact, own + pool, first=first, weeks=weeks, rng=rng)
    return pilot


def start(pilot, bob, at=None):
    at = at or timezone.make_aware(dt.datetime.combine(pilot.planned_start, dt.time(9)))
    return services.pilot_start(pilot=Pilot.objects.get(pk=pilot.pk), by=bob, at=at)


@pytest.fixture
def started(data, bob):
    return start(data, bob)

"""Fixtures for metrics tests: performance metrics, a pilot that carol and dan supervise, and
a helper that records weekly observations."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from metrics.models import MetricDefinition
from metrics.services import observations_upsert
from pilots.models import Pilot, PilotStatus
from tests.factories import PilotFactory, WorkgroupFactory

START = dt.date(2026, 6, 1)  # a Monday


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded CSVs go to a temporary directory, never the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cases(db):
    return MetricDefinition.objects.create(
        key="cases_closed",
        name="Cases closed per week",
        unit="cases",
        kind="performance",
        direction="higher_is_better",
        aggregation="mean",
    )


@pytest.fixture
def handling(db):
    return MetricDefinition.objects.create(
        key="handling_time",
        name="Average handling time",
        unit="minutes",
        kind="performance",
        direction="lower_is_better",
        aggregation="mean",
    )


@pytest.fixture
def hours_saved(db):
    return MetricDefinition.objects.create(
        key="hours_saved",
        name="Hours saved",
        unit="hours",
        kind="efficiency",
        direction="higher_is_better",
        aggregation="sum",
    )


@pytest.fixture
def pilot(bob, carol, dan, org):
    pilot = PilotFactory(
        name="Claims redefined", sponsor=bob.person, org_unit=org, planned_start=START
    )
    WorkgroupFactory(pilot=pilot, name="Carol's team", supervisor=carol.person)
    WorkgroupFactory(pilot=pilot, name="Dan's team", supervisor=dan.person)
    return pilot


def start_of(pilot, day=START):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def mark_running(pilot, day=START, ended=None):
    """Stand-in for the pilots engineer's pilot_start: only the fields protection reads."""
    Pilot.objects.filter(pk=pilot.pk).update(
        status=PilotStatus.RUNNING,
        started_at=start_of(pilot, day),
        ended_at=start_of(pilot, ended) if ended else None,
    )
    pilot.refresh_from_db()
    return pilot


def weekly(metric, person, values, first_monday, source="hris"):
    """One observation per week from `first_monday`, values in order."""
    rows = [
        {
            "metric": metric.key,
            "subject_type": "person",
            "subject_id": person.external_id,
            "period_start": str(first_monday + dt.timedelta(weeks=i)),
            "period_end": str(first_monday + dt.timedelta(weeks=i, days=6)),
            "value": str(Decimal(v)),
            "source": source,
        }
        for i, v in enumerate(values)
    ]
    return observations_upsert(rows=rows, check_alerts=False)


BEFORE_START = START - dt.timedelta(weeks=4)

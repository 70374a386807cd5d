"""Portfolio fixtures: pilots, workgroups, cycles, opportunities and observations created
directly on the models (not through other apps' services), with fixed dates so the numbers
can be computed by hand."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from coaching.models import Cycle, Opportunity, Stage
from metrics.models import MetricDefinition, Observation
from pilots.models import Approach, Pilot, PilotStatus
from portfolio.models import OrganisationSettings
from tests.factories import PilotFactory, make_workgroup

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def at(day: date | str, hour: int = 10) -> datetime:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def make_pilot(sponsor, *, name="Claims", approach=Approach.WORK_REDEFINITION, **extra):
    started = extra.pop("started_at", START)
    status = extra.pop("status", PilotStatus.RUNNING)
    return PilotFactory(
        name=name,
        approach=approach,
        sponsor=sponsor.person,
        planned_start=(started or START).date(),
        review_after_weeks=30,
        status=status,
        started_at=started,
        **extra,
    )


def make_cycle(workgroup, *, number, started, completed=None):
    return Cycle.objects.create(
        workgroup=workgroup,
        number=number,
        stage=Stage.COMPLETED if completed else Stage.ABANDONED,
        started_at=at(started),
        adaptation_done_at=at(completed) if completed else None,
        abandoned_at=None if completed else at(started),
    )


def make_opportunity(cycle, *, status, found, addressed=None, **values):
    return Opportunity.objects.create(
        workgroup=cycle.workgroup,
        found_in=cycle,
        addressed_in=cycle if addressed else None,
        title="Duplicate checks",
        status=status,
        found_at=at(found),
        addressed_at=at(addressed) if addressed else None,
        **values,
    )


def observe(metric, subject_type, subject_id, day, value, *, source="test", current=True):
    day = date.fromisoformat(day)
    return Observation.objects.create(
        metric=metric,
        subject_type=subject_type,
        subject_id=subject_id,
        period_start=day,
        period_end=day + timedelta(days=6),
        value=Decimal(value),
        source=source,
        is_current=current,
    )


def metric(key, unit, kind):
    definition, _ = MetricDefinition.objects.get_or_create(
        key=key,
        defaults={
            "name": key.replace("_", " ").capitalize(),
            "unit": unit,
            "kind": kind,
            "direction": "higher_is_better",
            "aggregation": "sum",
        },
    )
    return definition


@pytest.fixture
def rate(db):
    settings = OrganisationSettings.load()
    settings.hourly_rate = Decimal("50.00")
    settings.currency = "EUR"
    settings.save()
    return settings


@pytest.fixture
def metrics(db):
    return {
        "value_created": metric("value_created", "EUR", "value"),
        "hours_saved": metric("hours_saved", "hours", "efficiency"),
        "cost_saved": metric("cost_saved", "EUR", "efficiency"),
        "nps": metric("nps", "points", "value"),
        "errors": metric("errors", "count", "performance"),
    }


def build_portfolio(sponsor, supervisor, *, pilots: int, prefix: str = "Pilot") -> list[Pilot]:
    """`pilots` running pilots alternating approaches, each with two workgroups, a tie, a
    competing initiative, a completed cycle, an addressed opportunity and observations."""
    from pilots.models import CompetingInitiative, Tie

    value = metric("value_created", "EUR", "value")
    hours = metric("hours_saved", "hours", "efficiency")
    made = []
    for n in range(pilots):
        approach = Approach.WORK_REDEFINITION if n % 2 == 0 else Approach.JOB_REDESIGN
        pilot = make_pilot(sponsor, name=f"{prefix} {n + 1}", approach=approach)
        for g in range(2):
            workgroup = make_workgroup(pilot, supervisor, name=f"Group {g + 1}")
            Tie.objects.create(workgroup=workgroup, counterpart="Finance", frequency=4, strength=3)
            CompetingInitiative.objects.create(
                workgroup=workgroup, name="ERP upgrade", time_share_percent=40
            )
            cycle = make_cycle(workgroup, number=1, started="2026-06-03", completed="2026-06-10")
            make_opportunity(
                cycle,
                status="addressed",
                found="2026-06-04",
                addressed="2026-07-01",
                realised_value=Decimal("1000"),
            )
            observe(hours, "workgroup", workgroup.pk, "2026-07-06", "12")
        observe(value, "pilot", pilot.pk, "2026-08-03", str(500 * (n + 1)))
        made.append(pilot)
    return made

"""Demo step (runs last): the organisation's hourly rate, and monthly pilot- and
workgroup-level outcomes for every started pilot, so the dashboard tells a story:

- work-redefinition pilots create little during the first months (the lag), then value
  climbs and overtakes efficiency;
- job-redesign pilots save hours and costs from the first month, with little new value;
- one running pilot, before its patience horizon, had an early win from its demonstration
  project and then nothing for two months: the flat line that gets pilots stopped early.

Idempotent (a pilot with demo outcomes is left alone; definitions and settings by key) and
deterministic (one generator per pilot, keyed on its name). Ends with a rollup refresh.
"""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from coaching.models import Opportunity, OpportunityStatus
from demo.steps import DemoContext
from metrics.models import MetricDefinition, Observation, SubjectType
from pilots.models import Approach, Pilot, PilotStatus, Workgroup
from portfolio.charts import month_range
from portfolio.models import OrganisationSettings, PilotMonthRollup
from portfolio.rollups import rollups_refresh
from portfolio.selectors import (
    FLAT_SHARE,
    NEAR_STOP_MIN_WEEKS,
    STARTED,
    pilot_totals,
    weeks_run,
)

SOURCE = "demo-portfolio"
LEAD = Decimal("1.3")  # past the lag, redefinition value runs ahead of efficiency by this
DEFINITIONS = {
    "value_created": ("Value created", "EUR", "value"),
    "hours_saved": ("Hours saved", "hours", "efficiency"),
    "cost_saved": ("Cost saved", "EUR", "efficiency"),
}


def seed(ctx: DemoContext) -> None:
    _settings()
    metrics = _definitions()
    today = timezone.localdate()
    pilots = list(_pilots_without_outcomes().order_by("id"))
    near_stop = _near_stop_candidate(pilots, today)
    rows = []
    for pilot in pilots:
        rows += _outcomes(ctx, pilot, metrics, today, flat=pilot == near_stop)
    Observation.objects.bulk_create(rows, batch_size=2000)
    rollups_refresh()
    leaders = [p for p in pilots if p != near_stop and _past_the_lag(p, today)]
    if _value_past_the_lag(leaders, metrics, today) or near_stop is not None:
        if near_stop is not None:
            _top_up_early_win(near_stop, metrics, today)
        rollups_refresh()
    ctx.notes.append(
        f"Portfolio: outcomes for {len(pilots)} pilots"
        + (f"; {near_stop.name} is near a premature stop." if near_stop else ".")
    )


def _settings() -> None:
    settings = OrganisationSettings.load()
    if (settings.hourly_rate, settings.currency) != (Decimal("65.00"), "EUR"):
        settings.hourly_rate, settings.currency = Decimal("65.00"), "EUR"
        settings.save()


def _definitions() -> dict[str, MetricDefinition]:
    """The metrics demo usually creates these; created here by key if it did not."""
    metrics = {}
    for key, (name, unit, kind) in DEFINITIONS.items():
        metrics[key], _ = MetricDefinition.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "unit": unit,
                "kind": kind,
                "direction": "higher_is_better",
                "aggregation": "sum",
            },
        )
    return metrics


def _pilots_without_outcomes():
    seeded = Observation.objects.filter(
        source=SOURCE, subject_type=SubjectType.PILOT, subject_id=OuterRef("pk")
    )
    return (
        Pilot.objects.filter(status__in=STARTED, started_at__isnull=False)
        .exclude(Exists(seeded))
        .prefetch_related("workgroups")
    )


def _past_the_lag(pilot: Pilot, today: date) -> bool:
    """A work-redefinition pilot three months or more into its run."""
    months = len(month_range(timezone.localdate(pilot.started_at), today))
    return pilot.approach == Approach.WORK_REDEFINITION and months > 3


def _value_past_the_lag(pilots: list[Pilot], metrics, today: date) -> bool:
    """Past the lag, redefinition pilots show value ahead of efficiency (the story the demo
    tells): whatever the coaching history gave them in efficiency, value created catches up
    to LEAD × efficiency, spread over the months after the lag like the rest of their value."""
    settings = OrganisationSettings.load()
    totals = pilot_totals([p.pk for p in pilots], settings=settings)
    rows = []
    for pilot in pilots:
        total = totals.get(pilot.pk)
        gap = (total.efficiency * LEAD - total.value) if total else Decimal("0")
        if gap <= 0:
            continue
        months = month_range(timezone.localdate(pilot.started_at), today)[2:]
        weights = [Decimal(k + 1) ** 2 for k in range(len(months))]
        for month, weight in zip(months, weights, strict=True):
            share = gap * weight / sum(weights)
            row = _observation(metrics["value_created"], SubjectType.PILOT, pilot.pk, month, share)
            row.source = SOURCE + "-lag"
            rows.append(row)
    Observation.objects.bulk_create(rows)
    return bool(rows)


def _recent(today: date) -> date:
    """The first day of last month: "this month and last" is the flat-trend window."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _near_stop_candidate(pilots: list[Pilot], today: date) -> Pilot | None:
    """A running pilot far enough in to expect something, before its horizon, whose coaching
    opportunities added the least value lately (so its line can honestly look flat)."""
    in_lag = [
        p
        for p in pilots
        if p.status == PilotStatus.RUNNING
        and NEAR_STOP_MIN_WEEKS <= (weeks_run(p) or 0) < p.patience_horizon_weeks
    ]
    recent = dict(
        Opportunity.objects.filter(
            workgroup__pilot__in=in_lag,
            status=OpportunityStatus.ADDRESSED,
            addressed_at__date__gte=_recent(today),
        )
        .values_list("workgroup__pilot")
        .annotate(total=Sum("realised_value"))
    )
    return min(in_lag, key=lambda p: (recent.get(p.pk) or 0, p.pk), default=None)


def _top_up_early_win(pilot: Pilot, metrics, today: date) -> bool:
    """Make the demonstration project's early win big enough that recent value stays under
    FLAT_SHARE of the total (with a margin), whatever the coaching demo addressed lately."""
    months = PilotMonthRollup.objects.filter(pilot=pilot)
    total = sum((m.value_money for m in months), Decimal("0"))
    recent = sum((m.value_money for m in months if m.month >= _recent(today)), Decimal("0"))
    target = FLAT_SHARE * Decimal("0.8")
    if recent < total * target:
        return False
    start = timezone.localdate(pilot.started_at).replace(day=1)
    win = _observation(metrics["value_created"], SubjectType.PILOT, pilot.pk, start, 0)
    win.value, win.source = (
        (recent / target - total).quantize(Decimal("1")),
        SOURCE + "-win",
    )
    win.save()
    return True


def _observation(metric, subject_type, subject_id, month: date, value) -> Observation:
    last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return Observation(
        metric=metric,
        subject_type=subject_type,
        subject_id=subject_id,
        period_start=month,
        period_end=last_day,
        value=Decimal(value).quantize(Decimal("0.01")),
        source=SOURCE,
    )


def _outcomes(ctx, pilot: Pilot, metrics, today: date, *, flat: bool) -> list[Observation]:
    rng = ctx.rng_for(f"portfolio:{pilot.name}")
    end = timezone.localdate(pilot.ended_at) if pilot.ended_at else today
    months = month_range(timezone.localdate(pilot.started_at), end)
    redefinition = pilot.approach == Approach.WORK_REDEFINITION
    size = max(len(pilot.workgroups.all()), 1)
    rows = []
    for k, month in enumerate(months):
        if flat:
            value = 9000 * size * rng.uniform(0.9, 1.1) if k == 0 else 0
        elif redefinition:  # the lag: little for two months, then compounding value
            value = 0 if k < 2 else 900 * size * (k - 1) ** 1.35 * rng.uniform(0.8, 1.2)
        else:
            value = 150 * size * rng.uniform(0, 1)
        cost = rng.uniform(150, 400) if redefinition else rng.uniform(1200, 2600) * size
        rows.append(
            _observation(metrics["value_created"], SubjectType.PILOT, pilot.pk, month, value)
        )
        rows.append(_observation(metrics["cost_saved"], SubjectType.PILOT, pilot.pk, month, cost))
        for workgroup in pilot.workgroups.all():
            rows.append(_hours(rng, metrics, workgroup, month, k, redefinition))
    return rows


def _hours(rng, metrics, workgroup: Workgroup, month: date, k: int, redefinition: bool):
    """Redesign saves hours from the first month and keeps saving more; redefinition a few."""
    hours = rng.uniform(6, 16) if redefinition else min(30 + 12 * k, 110) * rng.uniform(0.85, 1.15)
    return _observation(metrics["hours_saved"], SubjectType.WORKGROUP, workgroup.pk, month, hours)

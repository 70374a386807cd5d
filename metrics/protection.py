"""The protection rule: what HR reads for a supervisor's performance metric in a period.

Protection runs from the pilot's start date until its end date plus `grace_period_days`
(inclusive), or indefinitely while the pilot has not ended. Only the supervisors of the
pilot's workgroups are protected, against their frozen baselines (latest version).

Periods partly inside the protection window: a requested period is protected when it
*overlaps* the window by at least one day. The promise is that a pilot never counts against
a supervisor, so a week that straddles the start or the end of the grace period is read
generously. The actual of a period aggregates the current observations whose own period
lies entirely inside the requested one (an observation straddling the edge is left out,
rather than counted in two periods). When several pilots overlap the period, the most
recently started one applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from metrics.baselines import window_aggregates
from metrics.models import Baseline, Direction, MetricDefinition
from people.models import Person
from pilots.models import Pilot


@dataclass(frozen=True)
class ProtectedMetric:
    metric: MetricDefinition
    period_start: dt.date
    period_end: dt.date
    actual: Decimal | None
    baseline: Decimal | None
    protected_value: Decimal | None
    protection_applied: bool
    pilot: Pilot | None
    direction: str  # as frozen with the baseline, or the metric's own without one


def protection_window(pilot: Pilot) -> tuple[dt.date, dt.date | None] | None:
    """(first day, last day or None while ongoing) of protection; None before start."""
    if pilot.started_at is None:
        return None
    start = timezone.localdate(pilot.started_at)
    if pilot.ended_at is None:
        return start, None
    return start, timezone.localdate(pilot.ended_at) + dt.timedelta(days=pilot.grace_period_days)


def overlaps(window, period_start: dt.date, period_end: dt.date) -> bool:
    if window is None:
        return False
    start, end = window
    return period_end >= start and (end is None or period_start <= end)


def protecting_pilot(person: Person, period_start: dt.date, period_end: dt.date) -> Pilot | None:
    """The pilot whose protection covers the period for this supervisor (one query)."""
    pilots = Pilot.objects.filter(
        workgroups__supervisor=person, started_at__isnull=False
    ).distinct()
    covering = [p for p in pilots if overlaps(protection_window(p), period_start, period_end)]
    return max(covering, key=lambda p: p.started_at, default=None)


def is_worse(direction: str, actual: Decimal, baseline: Decimal) -> bool:
    if direction == Direction.HIGHER_IS_BETTER:
        return actual < baseline
    return actual > baseline


def protect(
    direction: str, actual: Decimal | None, baseline: Decimal | None
) -> tuple[Decimal | None, bool]:
    """(protected value, protection applied). With no baseline value (an overridden gap) the
    actual stands; with no actual in the period, HR reads the baseline."""
    if baseline is None:
        return actual, False
    if actual is None:
        return baseline, True
    if is_worse(direction, actual, baseline):
        return baseline, True
    return actual, False


def protected_metrics(
    *, person: Person, period_start: dt.date, period_end: dt.date
) -> list[ProtectedMetric]:
    """Per performance metric: actual, baseline, protected value. Four queries.

    The metrics are the active performance metrics and every metric frozen in the protecting
    pilot's baselines: a metric deactivated since stays for the whole protected period. A
    frozen metric is read by the meaning recorded with its baseline (aggregation of the
    actual, direction of "better"), so editing the definition cannot move a protected value.
    """
    pilot = protecting_pilot(person, period_start, period_end)
    frozen = {}
    if pilot is not None:
        frozen = {
            b.metric_id: b
            for b in Baseline.objects.in_force()
            .filter(pilot=pilot, person=person)
            .select_related("metric")
        }
    metrics = {m.pk: m for m in MetricDefinition.objects.performance()}
    metrics |= {pk: b.metric for pk, b in frozen.items()}
    meaning = {pk: (b.metric_aggregation, b.metric_direction) for pk, b in frozen.items()} | {
        pk: (m.aggregation, m.direction) for pk, m in metrics.items() if pk not in frozen
    }
    actuals = window_aggregates(
        person_ids=[person.pk],
        aggregations={pk: aggregation for pk, (aggregation, _) in meaning.items()},
        window_start=period_start,
        window_end=period_end,
    )
    rows = []
    for metric in sorted(metrics.values(), key=lambda m: m.key):
        actual = actuals.get((person.pk, metric.pk), (None, 0))[0]
        baseline = frozen.get(metric.pk)
        direction = meaning[metric.pk][1]
        value, applied = protect(direction, actual, baseline.value if baseline else None)
        rows.append(
            ProtectedMetric(
                metric=metric,
                period_start=period_start,
                period_end=period_end,
                actual=actual,
                baseline=baseline.value if baseline else None,
                protected_value=value,
                protection_applied=applied,
                pilot=pilot if baseline else None,
                direction=direction,
            )
        )
    return rows

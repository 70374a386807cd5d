"""Weekly panels of workgroup observations, the raw material of the matching and the effect.

Weeks are ISO weeks (Monday to Sunday). An observation counts in a week when its whole period
lies inside that week; longer periods (a month's total) cannot be placed in a week and are
left out. Several observations of one week combine by the metric's aggregation (sum, mean,
last). The pre-period is the pilot's baseline window, rounded to the whole weeks before the
start; the post-period runs from the first Monday on or after the start to the last whole week
before the pilot ended (or before today while it runs).

Outcome metrics of a pilot: active metric definitions of any kind (value, efficiency or
performance) with at least one weekly observation of one of the pilot's own workgroups in the
pre-period. They are frozen with the comparison set, so metrics cannot be picked afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from metrics.models import Aggregation, MetricDefinition, Observation, SubjectType
from pilots.models import Pilot, PilotStatus, Workgroup, WorkgroupMember

WEEK = dt.timedelta(weeks=1)
STARTED = {PilotStatus.RUNNING, PilotStatus.REVIEWING, PilotStatus.SCALED, PilotStatus.STOPPED}


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def pre_period(pilot: Pilot, start: dt.date) -> tuple[dt.date, dt.date]:
    """(first Monday, last Sunday) of the baseline window's whole weeks before `start`."""
    first_monday_before = monday(start) - WEEK * pilot.baseline_window_weeks
    return first_monday_before, monday(start) - dt.timedelta(days=1)


def post_period(pilot: Pilot, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """(first Monday on or after the start, last Sunday of a whole week before the end)."""
    if pilot.started_at is None:
        return None
    start = timezone.localdate(pilot.started_at)
    first = start if start.weekday() == 0 else monday(start) + WEEK
    end = timezone.localdate(pilot.ended_at) if pilot.ended_at else (today or timezone.localdate())
    # A week counts when it is over: its Sunday is before the end day.
    last = monday(end) - dt.timedelta(days=1)
    if last < first:
        return first, first - dt.timedelta(days=1)  # no whole week yet
    return first, last


def week_list(first: dt.date, last: dt.date) -> list[dt.date]:
    weeks, week = [], first
    while week <= last:
        weeks.append(week)
        week += WEEK
    return weeks


@dataclass
class Panel:
    """metric → (group ids, weeks × groups values with NaN gaps) for one span of weeks."""

    weeks: list[dt.date]
    values: dict[int, dict[int, np.ndarray]]  # metric id → workgroup id → per-week values

    def matrix(self, metric_id: int, group_ids: list[int]) -> np.ndarray:
        empty = np.full(len(self.weeks), np.nan)
        rows = [self.values.get(metric_id, {}).get(g, empty) for g in group_ids]
        return np.vstack(rows) if rows else np.empty((0, len(self.weeks)))


def load_panel(
    *,
    metrics: list[MetricDefinition],
    group_ids: list[int],
    first: dt.date,
    last: dt.date,
    cutoffs: dict[int, dt.date] | None = None,
) -> Panel:
    """Weekly values of the metrics for the groups between the Mondays/Sundays given (one
    query). `cutoffs` drops a group's weeks from a date on (its own pilot's start)."""
    weeks = week_list(first, monday(last)) if last >= first else []
    aggregation = {m.pk: m.aggregation for m in metrics}
    rows = (
        Observation.objects.current()
        .filter(
            subject_type=SubjectType.WORKGROUP,
            subject_id__in=group_ids,
            metric_id__in=list(aggregation),
            period_start__gte=first,
            period_end__lte=last,
        )
        .order_by("period_end", "period_start", "id")
        # A float in SQL: numpy reads floats, and a Decimal per row costs more than the rest.
        .annotate(number=Cast("value", FloatField()))
        .values_list("metric_id", "subject_id", "period_start", "period_end", "number")
    )
    return Panel(weeks=weeks, values=_grid(list(rows), metrics, group_ids, first, weeks, cutoffs))


def _grid(rows, metrics, group_ids, first, weeks, cutoffs) -> dict[int, dict[int, np.ndarray]]:
    """Rows to metric → group → weekly values, in numpy (a Python loop over 10,000 rows
    was most of the effect's time). `first` is a Monday, so a row's week is its start's
    day offset divided by seven."""
    if not rows or not weeks:
        return {}
    metric_ids, subject_ids, starts, ends, numbers = zip(*rows, strict=True)
    origin = first.toordinal()
    start_day = np.array([d.toordinal() for d in starts]) - origin
    end_day = np.array([d.toordinal() for d in ends]) - origin
    week = start_day // 7
    row_of = {pk: i for i, pk in enumerate(group_ids)}
    group = np.array([row_of[pk] for pk in subject_ids])
    cutoff = np.full(len(group_ids), np.iinfo(np.int64).max)
    for pk, day in (cutoffs or {}).items():
        if pk in row_of:
            cutoff[row_of[pk]] = day.toordinal() - origin
    keep = (end_day <= week * 7 + 6) & (week < len(weeks)) & (start_day < cutoff[group])
    metric_of = np.array(metric_ids)
    values = np.array(numbers, dtype=float)
    found = {}
    for metric in metrics:
        chosen = keep & (metric_of == metric.pk)
        found[metric.pk] = _combined(
            metric.aggregation,
            group[chosen],
            week[chosen],
            values[chosen],
            (len(group_ids), len(weeks)),
        )
    return {
        metric_id: {pk: grid[i] for pk, i in row_of.items() if np.isfinite(grid[i]).any()}
        for metric_id, grid in found.items()
    }


def _combined(aggregation, rows, columns, values, shape) -> np.ndarray:
    """Several observations of one week combine by the metric's aggregation."""
    grid, counts = np.zeros(shape), np.zeros(shape)
    if aggregation == Aggregation.LAST:
        grid[rows, columns] = values  # rows come ordered by period end: the last one stays
        counts[rows, columns] = 1
    else:
        np.add.at(grid, (rows, columns), values)
        np.add.at(counts, (rows, columns), 1)
        if aggregation != Aggregation.SUM:
            grid = np.divide(grid, counts, out=np.zeros(shape), where=counts > 0)
    grid[counts == 0] = np.nan
    return grid


def outcome_metrics(pilot: Pilot, first: dt.date, last: dt.date) -> list[MetricDefinition]:
    """Active metrics with a weekly observation of one of the pilot's groups in the window."""
    own = list(pilot.workgroups.values_list("pk", flat=True))
    observed = (
        Observation.objects.current()
        .filter(
            subject_type=SubjectType.WORKGROUP,
            subject_id__in=own,
            period_start__gte=first,
            period_end__lte=last,
        )
        .values("metric_id")
    )
    return list(MetricDefinition.objects.filter(active=True, pk__in=observed).order_by("key"))


def candidate_groups(pilot: Pilot, first: dt.date) -> list[Workgroup]:
    """Workgroups that may stand for "what would have happened anyway": not in this pilot,
    sharing no person with it, and not treated by a pilot of their own during the pre-period
    (a pilot that is running or in review, or that started before the pre-period and had not
    ended by its first day). Those whose pilot starts later are cut at that start."""
    people = set(
        WorkgroupMember.objects.filter(workgroup__pilot=pilot).values_list("person_id", flat=True)
    ) | set(pilot.workgroups.values_list("supervisor_id", flat=True))
    shared = WorkgroupMember.objects.filter(person_id__in=people).values("workgroup_id")
    groups = (
        Workgroup.objects.exclude(pilot=pilot)
        .exclude(supervisor_id__in=people)
        .exclude(pk__in=shared)
        .exclude(pilot__status__in=[PilotStatus.RUNNING, PilotStatus.REVIEWING])
        .exclude(
            Q(pilot__started_at__date__lt=first)
            & (Q(pilot__ended_at__isnull=True) | Q(pilot__ended_at__date__gte=first))
        )
        .select_related("pilot")
        .order_by("pilot__name", "name", "id")
    )
    return list(groups)


def cutoffs_for(groups: list[Workgroup], first: dt.date) -> dict[int, dt.date]:
    """A comparison group's weeks count until its own pilot starts (if that is after `first`);
    a group whose pilot started earlier and was still running then counts not at all."""
    cutoffs = {}
    for group in groups:
        started = group.pilot.started_at
        if started is None:
            continue
        start, end = timezone.localdate(started), group.pilot.ended_at
        if start >= first:
            cutoffs[group.pk] = start
        elif end is None or timezone.localdate(end) >= first:
            cutoffs[group.pk] = first
    return cutoffs

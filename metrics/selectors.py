"""Reads for the metrics pages that span several models: a supervisor's "My metrics" and the
baseline status of a pilot's supervisors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from core import palette
from core.charts import plotly_text
from metrics.models import Baseline, BelowBaselineAlert, Observation
from metrics.permissions import can_rebaseline, sees_every_baseline_of
from metrics.protection import ProtectedMetric, protected_metrics, protection_window
from people.models import Person
from pilots.models import Pilot

CHART_WEEKS = 26
RECENT_WEEKS = 4


def last_full_weeks(today: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    """Monday of `weeks` full weeks ago to the last Sunday before today."""
    last_sunday = today - dt.timedelta(days=today.weekday() + 1)
    return last_sunday - dt.timedelta(weeks=weeks, days=-1), last_sunday


@dataclass
class MetricCard:
    row: ProtectedMetric
    alerts: list = field(default_factory=list)
    chart: dict = field(default_factory=dict)


def my_metrics(
    person: Person,
    today: dt.date | None = None,
    *,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> dict:
    """What a supervisor sees about their own performance metrics for a period (by default
    the last four full weeks): the very rows HR's `protected-metrics` answers for it, the
    below-baseline weeks inside it where a baseline is in force, and a chart of the weeks
    around it (constant queries)."""
    today = today or timezone.localdate()
    start, end = last_full_weeks(today, RECENT_WEEKS)
    start, end = period_start or start, period_end or end
    rows = protected_metrics(person=person, period_start=start, period_end=end)
    chart_start = min(start, end - dt.timedelta(weeks=CHART_WEEKS, days=-1))
    series = _weekly_series(person, chart_start, end)
    alerts = _alerts_by_metric(person, start, end)
    pilot = next((r.pilot for r in rows if r.pilot), None)
    window = protection_window(pilot) if pilot else None
    cards = [
        MetricCard(
            row=r,
            # "Below baseline" only where a baseline is in force for this period.
            alerts=alerts.get((r.pilot.pk, r.metric.pk), []) if r.baseline is not None else [],
            chart=_chart(r, series.get(r.metric.pk, []), window, chart_start, end),
        )
        for r in rows
    ]
    return {
        "cards": cards,
        "period_start": start,
        "period_end": end,
        "pilot": pilot,
        "window": window,
    }


def _weekly_series(person, start, end) -> dict[int, list[tuple[str, float]]]:
    series: dict[int, list] = {}
    observations = (
        Observation.objects.current()
        .for_person(person)
        .within(start, end)
        .order_by("period_start", "id")
        .values_list("metric_id", "period_start", "value")
    )
    for metric_id, day, value in observations:
        series.setdefault(metric_id, []).append((day.isoformat(), float(value)))
    return series


def _alerts_by_metric(person, start, end) -> dict[tuple[int, int], list[BelowBaselineAlert]]:
    """Below-baseline weeks lying inside the period, by pilot and metric."""
    found: dict[tuple[int, int], list] = {}
    alerts = BelowBaselineAlert.objects.filter(
        person=person, period_start__gte=start, period_end__lte=end
    )
    for alert in alerts:
        found.setdefault((alert.pilot_id, alert.metric_id), []).append(alert)
    return found


def _chart(row: ProtectedMetric, points, window, chart_start, chart_end) -> dict:
    """Plotly figure data: weekly actuals, and the baseline as a band over the protection."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "Actual",
            "x": [p[0] for p in points],
            "y": [p[1] for p in points],
        }
    ]
    shapes = []
    if row.baseline is not None and window is not None:
        band_start = max(window[0], chart_start).isoformat()
        band_end = min(window[1] or chart_end, chart_end).isoformat()
        baseline = float(row.baseline)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Frozen baseline",
                "x": [band_start, band_end],
                "y": [baseline, baseline],
                "line": {"dash": "dash", "color": palette.BASELINE},
            }
        )
        # The band is the zone where HR reads the baseline instead of the actual.
        values = [p[1] for p in points] + [baseline]
        if row.direction == "higher_is_better":
            y0, y1 = min(values) - abs(baseline) * 0.1, baseline
        else:
            y0, y1 = baseline, max(values) + abs(baseline) * 0.1
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": band_start,
                "x1": band_end,
                "y0": y0,
                "y1": y1,
                "fillcolor": palette.translucent(palette.BASELINE, 0.12),
                "line": {"width": 0},
                "layer": "below",
            }
        )
    return {
        "columns": ["week_start", "actual", "baseline_in_force"],
        "rows": [
            [day, value, float(row.baseline) if row.baseline is not None and window else ""]
            for day, value in points
        ],
        "data": data,
        "layout": {
            "shapes": shapes,
            "margin": {"l": 40, "r": 10, "t": 10, "b": 30},
            "height": 220,
            "showlegend": True,
            "legend": {"orientation": "h", "y": -0.25},
            "yaxis": {"title": {"text": plotly_text(row.metric.unit)}},
        },
    }


def sponsor_alerts(person: Person, limit: int = 20) -> list[BelowBaselineAlert]:
    """Recent below-baseline alerts in the pilots this person sponsors."""
    return list(
        BelowBaselineAlert.objects.filter(pilot__sponsor=person)
        .select_related("person", "metric", "pilot")
        .order_by("-period_start", "id")[:limit]
    )


@dataclass
class SupervisorBaselines:
    person: Person
    status: str  # frozen | missing data | overridden | re-baselined | not frozen
    frozen_at: dt.datetime | None
    rows: list[Baseline]  # every version, by metric then version
    weeks_below: int = 0  # below-baseline alerts recorded during this pilot


def pilot_baseline_status(pilot: Pilot) -> list[SupervisorBaselines]:
    """Per supervisor of the pilot: baseline status, freeze time, counts (three queries)."""
    supervisors = {
        wg.supervisor_id: wg.supervisor for wg in pilot.workgroups.select_related("supervisor")
    }
    baselines: dict[int, list[Baseline]] = {}
    for baseline in Baseline.objects.filter(pilot=pilot).select_related("metric"):
        baselines.setdefault(baseline.person_id, []).append(baseline)
    below = dict(
        BelowBaselineAlert.objects.filter(pilot=pilot)
        .order_by()
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    result = []
    for person_id, person in sorted(supervisors.items(), key=lambda kv: kv[1].full_name):
        rows = sorted(baselines.get(person_id, []), key=lambda b: (b.metric.key, b.version))
        result.append(
            SupervisorBaselines(
                person=person,
                status=_status(rows, pilot),
                frozen_at=min((b.frozen_at for b in rows), default=None),
                rows=rows,
                weeks_below=below.get(person_id, 0),
            )
        )
    return result


def _status(rows: list[Baseline], pilot: Pilot) -> str:
    if not rows:
        return "not frozen"
    if any(b.version > 1 for b in rows):
        return "re-baselined"
    if any(b.value is None for b in rows):
        return "overridden" if pilot.baseline_override_reason else "missing data"
    return "frozen"


def pilot_baselines_for(pilot: Pilot, *, user=None, client=None):
    """The pilot's baselines (every version) this reader may see: a machine client with
    `metrics:read` all of them, a person by `metrics.permissions.sees_every_baseline_of`."""
    baselines = Baseline.objects.filter(pilot=pilot).select_related("metric")
    if client is not None:
        return baselines if client.has_scope("metrics:read") else baselines.none()
    if sees_every_baseline_of(user, pilot):
        return baselines
    return baselines.filter(person__user=user) if user.is_authenticated else baselines.none()


def pilot_baselines_context(pilot: Pilot, user) -> dict:
    """What `templates/metrics/_pilot_baselines.html` needs (who sees whose baselines:
    `metrics.permissions.sees_every_baseline_of`)."""
    from metrics.forms import RebaselineForm

    status = pilot_baseline_status(pilot)
    if not sees_every_baseline_of(user, pilot):
        status = [s for s in status if s.person.user_id == user.pk]
    may_rebaseline = can_rebaseline(user, pilot) and pilot.started_at
    return {
        "baseline_status": status,
        "rebaseline_form": RebaselineForm(pilot=pilot) if may_rebaseline else None,
    }

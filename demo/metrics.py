"""Demo step: metric definitions and months of weekly performance observations for the
supervisor candidates, so that pilots started by the next step freeze real baselines and a
third of the supervisors dip below them afterwards (protection in action).

Runs before demo.pilots. Idempotent: a second run re-sends the same rows, which the upsert
recognises as unchanged.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from demo.steps import DemoContext
from metrics.models import MetricDefinition
from metrics.services import observations_upsert

DEFINITIONS = [
    # key, name, unit, kind, direction, aggregation
    ("cases_closed", "Cases closed per week", "cases", "performance", "higher_is_better", "mean"),
    ("handling_time", "Average handling time", "minutes", "performance", "lower_is_better", "mean"),
    (
        "customer_satisfaction",
        "Customer satisfaction",
        "%",
        "performance",
        "higher_is_better",
        "mean",
    ),
    ("hours_saved", "Hours saved", "hours", "efficiency", "higher_is_better", "sum"),
    ("cost_saved", "Cost saved", "EUR", "efficiency", "higher_is_better", "sum"),
    (
        "opportunity_value",
        "Value of opportunities addressed",
        "EUR",
        "value",
        "higher_is_better",
        "sum",
    ),
    ("revenue_retained", "Revenue retained", "EUR", "value", "higher_is_better", "sum"),
]
SUPERVISORS = 40
# Weeks at the end of the history in which dipping supervisors perform worse: pilots of the
# demo start before that, so the dip falls after their start and below their baseline.
DIP_WEEKS = 8
LEVELS = {"cases_closed": (38, 4), "handling_time": (14, 1.5), "customer_satisfaction": (84, 3)}
DIP = {"cases_closed": 0.75, "handling_time": 1.25, "customer_satisfaction": 0.92}


def seed(ctx: DemoContext) -> None:
    _definitions()
    rng = ctx.rng_for("metrics")
    supervisors = ctx.shared.get("supervisor_candidates", [])[:SUPERVISORS]
    rows = _performance_rows(rng, supervisors, _mondays(ctx.months))
    for start in range(0, len(rows), 10_000):
        observations_upsert(rows=rows[start : start + 10_000], check_alerts=False)
    ctx.shared["metric_keys"] = [d[0] for d in DEFINITIONS]
    ctx.notes.append(
        f"Metrics: {len(DEFINITIONS)} definitions, weekly performance history for "
        f"{len(supervisors)} supervisors; a third of them dip in the last {DIP_WEEKS} weeks."
    )


def _definitions() -> None:
    existing = set(MetricDefinition.objects.values_list("key", flat=True))
    MetricDefinition.objects.bulk_create(
        MetricDefinition(key=k, name=n, unit=u, kind=kind, direction=d, aggregation=a)
        for k, n, u, kind, d, a in DEFINITIONS
        if k not in existing
    )


def _mondays(months: int) -> list[dt.date]:
    today = timezone.localdate()
    last_monday = today - dt.timedelta(days=today.weekday() + 7)  # last complete week
    weeks = round(months * 52 / 12)
    return [last_monday - dt.timedelta(weeks=w) for w in reversed(range(weeks))]


def _performance_rows(rng, supervisor_ids: list[int], mondays: list[dt.date]) -> list[dict]:
    from people.models import Person

    external = dict(Person.objects.filter(pk__in=supervisor_ids).values_list("pk", "external_id"))
    rows = []
    for n, pk in enumerate(supervisor_ids):
        dips = n % 3 == 0  # the demo "supervisor" (first) dips, supervisor2 does not
        for key, (level, noise) in LEVELS.items():
            own = level * rng.uniform(0.85, 1.15)
            for w, monday in enumerate(mondays):
                value = own + rng.gauss(0, noise)
                if dips and w >= len(mondays) - DIP_WEEKS:
                    value *= DIP[key]
                if key == "customer_satisfaction":
                    value = min(value, 100)
                rows.append(
                    {
                        "metric": key,
                        "subject_type": "person",
                        "subject_id": external[pk],
                        "period_start": monday.isoformat(),
                        "period_end": (monday + dt.timedelta(days=6)).isoformat(),
                        "value": f"{value:.2f}",
                        "source": "demo-hris",
                    }
                )
    return rows

"""Freezing baselines at pilot start and re-baselining: the promise that a pilot never counts
against a supervisor's performance metrics starts here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Avg, Count, F, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.errors import DomainError, NotAllowed
from hrapi.events import BASELINE_FROZEN, BASELINE_REBASELINED, publish_event
from metrics.models import Aggregation, Baseline, MetricDefinition, Observation
from metrics.permissions import can_rebaseline
from people.models import Person
from people.permissions import refuse_inactive
from pilots.models import Pilot, Workgroup

FOUR_PLACES = Decimal("0.0001")


def baseline_window(pilot: Pilot, start: dt.date) -> tuple[dt.date, dt.date]:
    """[start − baseline_window_weeks, start), as inclusive dates."""
    return start - dt.timedelta(weeks=pilot.baseline_window_weeks), start - dt.timedelta(days=1)


def window_aggregates(
    *, person_ids, aggregations: dict[int, str], window_start: dt.date, window_end: dt.date
) -> dict[tuple[int, int], tuple[Decimal, int]]:
    """(person id, metric id) → (value by the metric's aggregation, observation count) over
    current person observations whose whole period lies in the window. Set-based for every
    supervisor and metric at once: one grouped query for counts, means and sums, plus one
    ranked query for the latest values when some metric aggregates by `last` (a correlated
    subquery there would be grouped on and evaluated once per observation)."""
    in_window = (
        Observation.objects.current()
        .persons()
        .within(window_start, window_end)
        .filter(subject_id__in=person_ids, metric_id__in=list(aggregations))
    )
    rows = (
        in_window.order_by()
        .values("subject_id", "metric_id")
        .annotate(n=Count("id"), mean=Avg("value"), total=Sum("value"))
        .values_list("subject_id", "metric_id", "n", "mean", "total")
    )
    lasts = _latest_values(in_window, aggregations)
    found = {}
    for person_id, metric_id, n, mean, total in rows:
        picked = {
            Aggregation.MEAN: mean,
            Aggregation.SUM: total,
            Aggregation.LAST: lasts.get((person_id, metric_id)),
        }
        value = picked[aggregations[metric_id]]
        found[(person_id, metric_id)] = (Decimal(value).quantize(FOUR_PLACES), n)
    return found


def _latest_values(in_window, aggregations: dict[int, str]) -> dict[tuple[int, int], Decimal]:
    last_ids = [pk for pk, aggregation in aggregations.items() if aggregation == Aggregation.LAST]
    if not last_ids:
        return {}
    ranked = (
        in_window.filter(metric_id__in=last_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("subject_id"), F("metric_id")],
                order_by=[F("period_end").desc(), F("period_start").desc(), F("id").desc()],
            )
        )
        .filter(rank=1)
        .values_list("subject_id", "metric_id", "value")
    )
    return {(person_id, metric_id): value for person_id, metric_id, value in ranked}


@transaction.atomic
def baselines_freeze_for_start(*, pilot, frozen_at, override_reason: str = "", by=None) -> None:
    """Freeze every supervisor's performance metrics for `pilot`, inside the caller's
    transaction (pilot start). Idempotent: a pilot that already has baselines is left as is.

    Raises DomainError(code="baseline_missing_data") listing the gaps when some supervisor has
    no observation of some metric in the window, unless `override_reason` is given: then the
    gaps are stored as baselines with no value and a count of 0, so they stay visible. Each
    baseline records the metric's meaning as it is now, and `by`, who started the pilot.
    """
    if Baseline.objects.filter(pilot=pilot).exists():
        return
    window = baseline_window(pilot, timezone.localdate(frozen_at))
    by = by if getattr(by, "is_authenticated", False) else None
    freeze = _freeze_postgresql if connection.vendor == "postgresql" else _freeze_portable
    gaps = freeze(pilot=pilot, frozen_at=frozen_at, window=window, by=by)
    if gaps and not override_reason.strip():
        # Raising rolls back this function's savepoint, and with it the rows just written.
        raise _missing_data(gaps, *window)
    if gaps:
        pilot.baseline_override_reason = override_reason.strip()
        pilot.save(update_fields=["baseline_override_reason", "updated_at"])
    publish_event(BASELINE_FROZEN, pilot_id=pilot.pk)


# The freeze as one statement: supervisors × active performance metrics, each aggregated over
# the window by the metric's own rule and inserted; it returns only the gaps (external id and
# metric key). `scaled` is the value in ten-thousandths, rounded half to even as
# window_aggregates quantizes it (PostgreSQL's round() goes half away from zero), so a freeze
# and a re-baseline over the same data agree to the last place.
FREEZE = """
WITH frozen AS (
    INSERT INTO metrics_baseline (pilot_id, person_id, metric_id, value, observation_count,
        window_start, window_end, frozen_at, version, reason, metric_direction,
        metric_aggregation, metric_unit, metric_kind, frozen_by_id)
    SELECT %(pilot)s, person_id, metric_id,
        CASE WHEN scaled - trunc(scaled) IN (0.5, -0.5) THEN 2 * round(scaled / 2)
            ELSE round(scaled) END * 0.0001,
        n, %(window_start)s, %(window_end)s, %(frozen_at)s, 1, '', direction, aggregation,
        unit, kind, %(by)s
    FROM (
        SELECT s.person_id, md.id AS metric_id, count(o.id) AS n, md.direction,
            md.aggregation, md.unit, md.kind,
            10000 * CASE md.aggregation
                WHEN 'sum' THEN sum(o.value)
                WHEN 'mean' THEN avg(o.value)
                ELSE (array_agg(o.value ORDER BY o.period_end DESC, o.period_start DESC, o.id DESC)
                      FILTER (WHERE md.aggregation = 'last'))[1]
            END AS scaled
        FROM (SELECT DISTINCT supervisor_id AS person_id FROM pilots_workgroup
              WHERE pilot_id = %(pilot)s) s
        CROSS JOIN metrics_metricdefinition md
        LEFT JOIN metrics_observation o ON o.is_current AND o.metric_id = md.id
            AND o.subject_type = 'person' AND o.subject_id = s.person_id
            AND o.period_start >= %(window_start)s AND o.period_end <= %(window_end)s
        WHERE md.kind = 'performance' AND md.active
        GROUP BY s.person_id, md.id, md.direction, md.aggregation, md.unit, md.kind
    ) aggregated
    RETURNING person_id, metric_id, observation_count
)
SELECT p.external_id, md.key
FROM frozen f
JOIN people_person p ON p.id = f.person_id
JOIN metrics_metricdefinition md ON md.id = f.metric_id
WHERE f.observation_count = 0
ORDER BY f.person_id, md.key
"""


def _freeze_postgresql(*, pilot, frozen_at, window, by) -> list[tuple[str, str]]:
    params = {
        "pilot": pilot.pk,
        "window_start": window[0],
        "window_end": window[1],
        "frozen_at": frozen_at,
        "by": getattr(by, "pk", None),
    }
    with connection.cursor() as cursor:
        cursor.execute(FREEZE, params)
        return cursor.fetchall()


def _freeze_portable(*, pilot, frozen_at, window, by) -> list[tuple[str, str]]:
    """The same freeze for SQLite: aggregate in one query, insert in bulk, then name the gaps."""
    supervisors = sorted(
        set(Workgroup.objects.filter(pilot=pilot).values_list("supervisor_id", flat=True))
    )
    metrics = list(MetricDefinition.objects.performance())
    found = window_aggregates(
        person_ids=supervisors,
        aggregations={m.pk: m.aggregation for m in metrics},
        window_start=window[0],
        window_end=window[1],
    )
    Baseline.objects.bulk_create(
        Baseline(
            pilot=pilot,
            person_id=person_id,
            metric_id=metric.pk,
            value=found.get((person_id, metric.pk), (None, 0))[0],
            observation_count=found.get((person_id, metric.pk), (None, 0))[1],
            window_start=window[0],
            window_end=window[1],
            frozen_at=frozen_at,
            version=1,
            frozen_by=by,
            **metric.meaning(),
        )
        for person_id in supervisors
        for metric in metrics
    )
    gaps = [(p, m.key) for p in supervisors for m in metrics if (p, m.pk) not in found]
    if not gaps:
        return []
    names = dict(
        Person.objects.filter(pk__in={p for p, _ in gaps}).values_list("pk", "external_id")
    )
    return [(names[p], key) for p, key in gaps]


def _missing_data(gaps, window_start, window_end) -> DomainError:
    fields: dict[str, list[str]] = {}
    for external_id, key in gaps:
        fields.setdefault(external_id, []).append(
            f"No {key} observations between {window_start} and {window_end}."
        )
    return DomainError(
        "Some supervisors have no performance data in the baseline window. Add the data, or "
        "start with a written reason for overriding the gap.",
        code="baseline_missing_data",
        fields=fields,
    )


@transaction.atomic
def baseline_rebaseline(
    *, pilot: Pilot, person: Person, metric: MetricDefinition, by, reason: str
) -> Baseline:
    """Add version n+1 of one supervisor's baseline, recomputed from the original window
    (corrections made since are taken in). Only the sponsor may; a reason is required."""
    refuse_inactive(by)
    if not can_rebaseline(by, pilot):
        raise NotAllowed("Only the pilot's sponsor may re-baseline.")
    if not reason or not reason.strip():
        raise DomainError(
            "Say why the baseline changes.",
            code="invalid",
            fields={"reason": ["This field is required."]},
        )
    latest = (
        Baseline.objects.select_for_update()
        .filter(pilot=pilot, person=person, metric=metric)
        .order_by("-version")
        .first()
    )
    if latest is None:
        raise DomainError(
            "This supervisor has no frozen baseline for this metric in this pilot.",
            code="baseline_not_frozen",
        )
    # The new version is read as the first was frozen, whatever the definition says now.
    value, count = window_aggregates(
        person_ids=[person.pk],
        aggregations={metric.pk: latest.metric_aggregation},
        window_start=latest.window_start,
        window_end=latest.window_end,
    ).get((person.pk, metric.pk), (None, 0))
    baseline = Baseline.objects.create(
        pilot=pilot,
        person=person,
        metric=metric,
        value=value,
        observation_count=count,
        window_start=latest.window_start,
        window_end=latest.window_end,
        frozen_at=timezone.now(),
        version=latest.version + 1,
        reason=reason.strip(),
        frozen_by=by,
        **latest.meaning(),
    )
    publish_event(BASELINE_REBASELINED, pilot_id=pilot.pk, baseline_id=baseline.pk)
    return baseline

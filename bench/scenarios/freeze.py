"""Scenario 4: `baselines_freeze_for_start` for the pilot with the most supervisors (pilot 1,
approved, not started) against one raw INSERT … SELECT computing the same baselines. Both
run inside a transaction that is rolled back, so every run freezes the same pilot afresh."""

from django.db import connection, transaction
from django.utils import timezone

from bench.scenarios.timing import NotAvailable, timed

RAW_FREEZE = """
INSERT INTO metrics_baseline (pilot_id, person_id, metric_id, value, observation_count,
  window_start, window_end, frozen_at, version, reason,
  metric_direction, metric_aggregation, metric_unit, metric_kind)
SELECT %(pilot)s, s.person_id, md.id,
  round(CASE md.aggregation WHEN 'sum' THEN sum(o.value) WHEN 'mean' THEN avg(o.value)
        ELSE (array_agg(o.value ORDER BY o.period_end DESC, o.period_start DESC, o.id DESC))[1]
        END, 4),
  count(o.id), %(window_start)s, %(window_end)s, %(frozen_at)s, 1, '',
  md.direction, md.aggregation, md.unit, md.kind
FROM (SELECT DISTINCT supervisor_id AS person_id FROM pilots_workgroup
      WHERE pilot_id = %(pilot)s) s
CROSS JOIN metrics_metricdefinition md
LEFT JOIN metrics_observation o ON o.subject_type = 'person' AND o.subject_id = s.person_id
  AND o.metric_id = md.id AND o.is_current
  AND o.period_start >= %(window_start)s AND o.period_end <= %(window_end)s
WHERE md.kind = 'performance'
GROUP BY s.person_id, md.id, md.direction, md.aggregation, md.unit, md.kind"""


class _Rollback(Exception):
    pass


def _rolled_back(fn) -> int:
    """Run `fn` in a transaction, count the baselines it wrote, then undo everything."""
    from metrics.models import Baseline

    written = 0
    try:
        with transaction.atomic():
            fn()
            written = Baseline.objects.filter(pilot_id=1).count()
            raise _Rollback
    except _Rollback:
        pass
    return written


def measure(ctx) -> dict:
    try:
        from metrics.baselines import baseline_window, baselines_freeze_for_start
    except ImportError as exc:
        raise NotAvailable(f"metrics.baselines: {exc}") from exc
    from pilots.models import Pilot

    pilot = Pilot.objects.get(pk=1)
    if pilot.baselines.exists():
        raise NotAvailable("pilot 1 already has baselines: regenerate the bench database")
    frozen_at = timezone.now()
    window_start, window_end = baseline_window(pilot, timezone.localdate(frozen_at))
    params = {
        "pilot": pilot.pk,
        "window_start": window_start,
        "window_end": window_end,
        "frozen_at": frozen_at,
    }

    def app():
        return _rolled_back(
            lambda: baselines_freeze_for_start(pilot=Pilot.objects.get(pk=1), frozen_at=frozen_at)
        )

    def raw():
        def insert():
            with connection.cursor() as cursor:
                cursor.execute(RAW_FREEZE, params)

        return _rolled_back(insert)

    app_rows, raw_rows = app(), raw()
    if app_rows == 0:
        raise NotAvailable("baselines_freeze_for_start wrote no baselines (still a placeholder?)")
    return {
        "supervisors": pilot.workgroups.values("supervisor_id").distinct().count(),
        "baselines": app_rows,
        "raw_baselines": raw_rows,
        "app": timed(app, runs=ctx.runs, warmup=ctx.warmup),
        "raw_sql": timed(raw, runs=ctx.runs, warmup=ctx.warmup),
    }

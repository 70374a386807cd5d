"""Scenario 1b: the incremental rollup refresh after a 10,000-row ingest, against the full
rebuild of the same organisation.

Each run inserts 10,000 value/efficiency observations for 1,250 workgroups × 8 outcome
metrics in a week of its own. The workgroups are the last pilots' (by pilot id, descending),
so the ingest has the same shape at every scale: ~330 pilots of about four workgroups each,
one month of each made stale. Taken by workgroup id they would fall in 500 pilots at full and
1,250 at xl (2.5 times the work for the same ingest); from the first pilot, in pilot 1's 100
workgroups at full but its 1,000 at xl. The rows go in as one statement, as bulk ingest's
final INSERT … SELECT (the statement-level trigger records the stale cells), then
`rollups_refresh()` is timed. The observations stay (append-only), which is why this
scenario runs after the dashboard's. The check at the end compares the incrementally
refreshed tables with a full rebuild."""

import time

from django.db import connection

from bench.scenarios.timing import NotAvailable, summary, timed

BATCH = 10_000
INSERT = """
INSERT INTO metrics_observation (metric_id, subject_type, subject_id, period_start,
    period_end, value, source, recorded_at, is_current)
SELECT m.id, 'workgroup', w.id, %(week)s::date, %(week)s::date + 6,
    (w.id * 7 + m.id) %% 97 + 1, %(source)s, now(), true
FROM (SELECT id FROM pilots_workgroup ORDER BY pilot_id DESC, id LIMIT %(groups)s) w
CROSS JOIN (SELECT id FROM metrics_metricdefinition WHERE kind IN ('value', 'efficiency')
            ORDER BY id LIMIT 8) m
"""


def _snapshot():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(t::text, ',' ORDER BY pilot_id, month)) "
            "FROM (SELECT pilot_id, month, value_money, value_hours, efficiency_money, "
            "efficiency_hours, cycles_completed, opportunities_found, opportunities_addressed "
            "FROM portfolio_pilotmonthrollup) t"
        )
        pilots = cursor.fetchone()[0]
        cursor.execute(
            "SELECT md5(string_agg(t::text, ',' ORDER BY workgroup_id, month)) "
            "FROM (SELECT workgroup_id, pilot_id, month, cycles_completed, opportunities_found,"
            " opportunities_addressed FROM portfolio_workgroupmonthrollup) t"
        )
        return pilots, cursor.fetchone()[0]


def measure(ctx) -> dict:
    try:
        from portfolio.rollups import rollups_rebuild, rollups_refresh
    except ImportError as exc:
        raise NotAvailable(f"incremental rollups: {exc}") from exc
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pilots_workgroup")
        groups = min(BATCH // 8, cursor.fetchone()[0])
    rollups_refresh()  # whatever is pending from earlier scenarios
    full = timed(rollups_rebuild, runs=max(3, ctx.runs // 2), warmup=1)
    run_id = time.strftime("%Y%m%d%H%M%S")
    samples, cells, rows = [], [], []
    for k in range(ctx.runs + ctx.warmup):
        with connection.cursor() as cursor:
            # Weeks after the generated history (which ends before 2026-11-24), one per run.
            week = f"2027-{1 + k // 4:02d}-{1 + 7 * (k % 4):02d}"
            cursor.execute(INSERT, {"week": week, "source": f"bench-r{run_id}", "groups": groups})
            rows.append(cursor.rowcount)
        started = time.perf_counter()
        state = rollups_refresh()
        elapsed = (time.perf_counter() - started) * 1000
        if k >= ctx.warmup:
            samples.append(elapsed)
            cells.append(state.cells)
    incremental = _snapshot()
    rollups_rebuild()
    return {
        "full": full,
        "incremental": summary(samples),
        "rows_per_ingest": rows[-1],
        "cells_per_refresh": cells,
        "equal_to_full_rebuild": incremental == _snapshot(),
    }

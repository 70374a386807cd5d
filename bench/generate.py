"""Generate a deterministic organisation in a fresh PostgreSQL database, fast.

Every row is derived arithmetically from its position (explicit ids, `generate_series`), so
two runs at the same scale produce identical tables. Small tables (org units, people) are
loaded with COPY from Python; the big ones (observations, cycles, opportunities) are built
server-side with `INSERT … SELECT generate_series(…)`, which avoids shipping millions of
rows through a Python process. Secondary indexes and constraints of the big tables are
dropped during the load and recreated afterwards from their own definitions (one sorted
build instead of millions of index insertions), then everything is VACUUM ANALYZEd.

    python -m bench.generate --scale small        # → redefine_bench_small
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PG_TRIGGERS = {  # portfolio.triggers.PG_TRIGGERS, without importing Django here
    "portfolio_rollup_observation_insert": "metrics_observation",
    "portfolio_rollup_observation_update": "metrics_observation",
    "portfolio_rollup_cycle": "coaching_cycle",
    "portfolio_rollup_opportunity": "coaching_opportunity",
    "portfolio_rollup_pilot": "pilots_pilot",
    "portfolio_rollup_workgroup": "pilots_workgroup",
    "portfolio_rollup_member": "pilots_workgroupmember",
}
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
SEED = 20261124
# The demo's "today": periods end before it, pilots started before it.
TODAY = "2026-11-24"
LAST_MONDAY = "2026-11-16"  # start of the last complete week before TODAY
PERFORMANCE_METRICS = 4  # metric ids 1..4 (person subjects)
OUTCOME_METRICS = 8  # metric ids 5..12: value and efficiency (workgroup and pilot subjects)
SUPERSEDED_EVERY = 100  # one person observation in a hundred has an older, corrected version
CYCLE_DAYS = 14
BIG_TABLES = ["metrics_observation", "coaching_cycle", "coaching_opportunity"]


@dataclass(frozen=True)
class Scale:
    name: str
    people: int
    pilots: int
    workgroups: int
    observations: int
    cycles: int

    @property
    def teams(self) -> int:
        return max(1, self.people // 10)

    @property
    def disk_bytes(self) -> int:
        """What generating takes on the database server's disk, with room for the WAL and
        the index builds: measured 14 GB of database at xl (50 M observations), 1.4 GB at
        full; about 360 bytes an observation, plus 30 %."""
        return int(self.observations * 360 * 1.3)

    @property
    def divisions(self) -> int:
        return max(2, self.teams // 100)

    @property
    def big_pilot_workgroups(self) -> int:
        """Pilot 1 is the one with many supervisors (the baseline-freeze scenario)."""
        return max(2, self.workgroups // 20)

    @property
    def cycles_per_workgroup(self) -> int:
        return max(2, self.cycles // self.workgroups)

    def weeks(self, share: float, subjects: int, metrics: int) -> int:
        return max(1, round(self.observations * share / (subjects * metrics)))

    @property
    def person_weeks(self) -> int:
        return self.weeks(0.80, self.people, PERFORMANCE_METRICS)

    @property
    def workgroup_weeks(self) -> int:
        return self.weeks(0.16, self.workgroups, OUTCOME_METRICS)

    @property
    def pilot_weeks(self) -> int:
        return self.weeks(0.04, self.pilots, OUTCOME_METRICS)


SCALES = {
    "xl": Scale("xl", 100_000, 5_000, 20_000, 50_000_000, 1_000_000),
    "full": Scale("full", 10_000, 500, 2_000, 5_000_000, 100_000),
    "small": Scale("small", 100, 5, 20, 50_000, 1_000),
    "tiny": Scale("tiny", 40, 3, 8, 20_000, 200),  # history long enough for baselines
}
# The smaller organisation each scale is compared with for constant query counts / flat p50.
REFERENCE = {"xl": "full", "full": "small", "small": "tiny", "tiny": "tiny"}


class NotPostgres(SystemExit):
    """The benchmark only means something on PostgreSQL (COPY, partial indexes, planner)."""


def server_url() -> str:
    return os.environ.get("BENCH_POSTGRES", DEFAULT_SERVER).rstrip("/")


def database_url(scale: str) -> str:
    return f"{server_url()}/redefine_bench_{scale}"


def require_postgres(url: str) -> None:
    scheme = urlsplit(url).scheme
    if scheme not in ("postgres", "postgresql", "pgsql"):
        raise NotPostgres(
            f"The benchmark needs PostgreSQL, got {scheme or 'no'} database URL ({scheme!r}). "
            "SQLite cannot show organisation-scale behaviour; set BENCH_POSTGRES="
            "postgres://user@host:5432 (databases redefine_bench_<scale> are created there)."
        )


def _psycopg_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))


def _connect(url: str, **kwargs):
    import psycopg

    return psycopg.connect(_psycopg_url(url), **kwargs)


def recreate_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith(("redefine_bench_", "test_redefine_bench_")):
        raise SystemExit(f"Refusing to drop {name!r}: bench databases are redefine_bench_*.")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with _connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "CONN_MAX_AGE": "0"}
    env.pop("REDIS_URL", None)  # migrations never need the broker
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
        check=True,
        env=env,
        cwd=ROOT,
    )


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)  # stdout carries the JSON summary


def _drop_secondary(cur, table: str) -> list[str]:
    """Drop every index and constraint of `table` except its primary key (other tables'
    foreign keys depend on it); return the statements that recreate them."""
    cur.execute(
        """SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype <> 'p' ORDER BY contype DESC, conname""",
        [table],
    )
    constraints = cur.fetchall()
    cur.execute(
        """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)""",
        [table],
    )
    indexes = cur.fetchall()
    recreate = []
    for name, definition, _kind in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        recreate.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cur.execute(f'DROP INDEX "{name}"')
        recreate.append(definition)
    return recreate


def _copy_org(cur, scale: Scale) -> None:
    rng = random.Random(f"{SEED}:people")  # noqa: S311 - benchmark data, not security
    with cur.copy(
        "COPY people_orgunit (id, external_id, name, kind, parent_id, active, created_at,"
        " updated_at) FROM STDIN"
    ) as copy:
        copy.write_row((1, "B-ORG", "Bench Corp", "division", None, True, TODAY, TODAY))
        for d in range(scale.divisions):
            copy.write_row(
                (2 + d, f"B-DIV{d + 1}", f"Division {d + 1}", "division", 1, True, TODAY, TODAY)
            )
        for t in range(scale.teams):
            parent = 2 + t % scale.divisions
            copy.write_row(
                (
                    2 + scale.divisions + t,
                    f"B-TEAM{t + 1}",
                    f"Team {t + 1}",
                    "team",
                    parent,
                    True,
                    TODAY,
                    TODAY,
                )
            )
    first = ["Ada", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jon"]
    last = ["Abbott", "Baker", "Costa", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito"]
    with cur.copy(
        "COPY people_person (id, external_id, full_name, email, org_unit_id, manager_id,"
        " active, created_at, updated_at) FROM STDIN"
    ) as copy:
        for p in range(1, scale.people + 1):
            team = (p - 1) % scale.teams  # persons 1..teams lead their team
            manager = None if p == 1 else (1 if p <= scale.teams else team + 1)
            name = f"{rng.choice(first)} {rng.choice(last)}"
            email = f"{name.replace(' ', '.').lower()}.{p}@bench.example"
            copy.write_row(
                (
                    p,
                    f"B{p:06d}",
                    name,
                    email,
                    2 + scale.divisions + team,
                    manager,
                    True,
                    TODAY,
                    TODAY,
                )
            )


def _statements(s: Scale) -> list[tuple[str, str]]:
    """(label, SQL) for everything after people. Pilot statuses by id: 1 approved (the big
    one), then by id % 10: 0 draft, 1 approved, 2–6 running, 7 reviewing, 8 scaled, 9 stopped."""
    big = s.big_pilot_workgroups
    pilot_of_wg = f"(CASE WHEN w <= {big} THEN 1 ELSE 2 + (w - {big} - 1) % ({s.pilots} - 1) END)"
    started = "('running','reviewing','scaled','stopped')"
    cpw = s.cycles_per_workgroup
    pw, gw, iw = s.person_weeks, s.workgroup_weeks, s.pilot_weeks
    n_person = s.people * PERFORMANCE_METRICS * pw
    n_group = s.workgroups * OUTCOME_METRICS * gw
    n_pilot = s.pilots * OUTCOME_METRICS * iw
    old_offset = n_person + n_group + n_pilot
    value = "round((100 + (({i} * 2654435761::bigint) % 10007) / 100.0)::numeric, 4)"
    return [
        (
            "metric definitions",
            """
INSERT INTO metrics_metricdefinition
  (id, key, name, unit, kind, direction, aggregation, description, active, created_at,
   updated_at)
SELECT m, k.kind || '-' || m, initcap(k.kind) || ' metric ' || m,
  CASE WHEN k.kind = 'efficiency' AND m % 2 = 0 THEN 'hours' WHEN k.kind = 'performance'
       THEN '%' ELSE 'EUR' END,
  k.kind, CASE WHEN m % 3 = 0 THEN 'lower_is_better' ELSE 'higher_is_better' END,
  (ARRAY['mean','sum','last'])[1 + m % 3], '', true, now(), now()
FROM generate_series(1, 12) m
CROSS JOIN LATERAL (SELECT CASE WHEN m <= 4 THEN 'performance' WHEN m <= 8 THEN 'value'
                                ELSE 'efficiency' END AS kind) k""",
        ),
        (
            "pilots",
            f"""
INSERT INTO pilots_pilot
  (id, name, approach, vision, pain_point, demonstration_project, sponsor_id, org_unit_id,
   planned_start, review_date, patience_horizon_weeks, baseline_window_weeks,
   grace_period_days, status, started_at, ended_at, premature_stop,
   baseline_override_reason, created_by_id, created_at, updated_at)
SELECT i, 'Pilot ' || i,
  CASE WHEN i % 2 = 0 THEN 'work_redefinition' ELSE 'job_redesign' END,
  'People find and solve unseen problems.', 'Slow hand-offs.', 'Same-day claims.',
  1 + (i * 7) % {s.teams}, {2 + s.divisions} + (i - 1) % {s.teams},
  st.planned, st.planned + 26 * 7, 26, 12, 90, st.status,
  CASE WHEN st.status IN {started} THEN st.planned::timestamptz END,
  CASE WHEN st.status IN ('scaled','stopped') THEN (st.planned + 200)::timestamptz END,
  false, '', NULL, now(), now()
FROM generate_series(1, {s.pilots}) i
CROSS JOIN LATERAL (SELECT
  CASE WHEN i = 1 THEN 'approved' ELSE (ARRAY['draft','approved','running','running',
    'running','running','running','reviewing','scaled','stopped'])[1 + i % 10] END AS status,
  date '2025-03-03' + (i * 37) % 560 AS planned) st""",
        ),
        (
            "pilot transitions",
            f"""
INSERT INTO pilots_pilottransition (pilot_id, from_status, to_status, by_id, at, reason,
  self_approved)
SELECT p.id, t.f, t.t, NULL, p.planned_start - t.days_before, '', false
FROM pilots_pilot p
CROSS JOIN (VALUES ('draft','approved',14), ('approved','running',0)) t(f, t, days_before)
WHERE p.status <> 'draft' AND (t.t = 'approved' OR p.status IN {started})""",
        ),
        (
            "workgroups",
            f"""
INSERT INTO pilots_workgroup (id, pilot_id, name, supervisor_id, cadence_days, created_at)
SELECT w, {pilot_of_wg}, 'Workgroup ' || w, w, {CYCLE_DAYS}, now()
FROM generate_series(1, {s.workgroups}) w""",
        ),
        (
            "workgroup members",
            f"""
INSERT INTO pilots_workgroupmember (workgroup_id, person_id, added_at)
SELECT 1 + (p - {s.workgroups} - 1) % {s.workgroups}, p, now()
FROM generate_series({s.workgroups} + 1, {s.people}) p""",
        ),
        (
            "running assignments",
            """
INSERT INTO pilots_runningassignment (person_id, workgroup_id, assigned_at)
SELECT seat.person_id, seat.workgroup_id, p.started_at
FROM (SELECT supervisor_id AS person_id, id AS workgroup_id FROM pilots_workgroup
      UNION ALL SELECT person_id, workgroup_id FROM pilots_workgroupmember) seat
JOIN pilots_workgroup w ON w.id = seat.workgroup_id
JOIN pilots_pilot p ON p.id = w.pilot_id AND p.status = 'running'""",
        ),
        (
            "charters, ties, competing initiatives",
            f"""
INSERT INTO pilots_charter (workgroup_id, open_minded, risk_tolerant, customer_commitment,
  signed_at, signed_by_id, assurance_confirmed_at, assurance_confirmed_by_id)
SELECT w.id, true, true, true, p.planned_start - 20, NULL, p.planned_start - 15, NULL
FROM pilots_workgroup w JOIN pilots_pilot p ON p.id = w.pilot_id WHERE p.status <> 'draft';
INSERT INTO pilots_tie (workgroup_id, counterpart, frequency, strength, note)
SELECT w, 'Function ' || (w * k) % 37, 1 + (w + k) % 4, 1 + (w * k) % 3, ''
FROM generate_series(1, {s.workgroups}) w, generate_series(1, 2) k;
INSERT INTO pilots_competinginitiative (workgroup_id, name, owner, time_share_percent)
SELECT w, 'Initiative ' || w % 17, 'PMO', 5 + w % 30 FROM generate_series(1, {s.workgroups}) w""",
        ),
        (
            "observations: person performance",
            f"""
INSERT INTO metrics_observation (id, metric_id, subject_type, subject_id, period_start,
  period_end, value, source, recorded_at, is_current, superseded_at, supersedes_id)
SELECT i, 1 + ((i - 1) / {pw}) % {PERFORMANCE_METRICS}, 'person',
  1 + (i - 1) / ({pw} * {PERFORMANCE_METRICS}), ps, ps + 6, {value.format(i="i")}, 'hris',
  (ps + 7)::timestamptz, true, NULL,
  CASE WHEN i % {SUPERSEDED_EVERY} = 0 THEN {old_offset} + i / {SUPERSEDED_EVERY} END
FROM generate_series(1, {n_person}) i
CROSS JOIN LATERAL (SELECT date '{LAST_MONDAY}' - 7 * ((i - 1) % {pw}) AS ps) d""",
        ),
        (
            "observations: workgroup outcomes",
            f"""
INSERT INTO metrics_observation (id, metric_id, subject_type, subject_id, period_start,
  period_end, value, source, recorded_at, is_current, superseded_at, supersedes_id)
SELECT {n_person} + i, 5 + ((i - 1) / {gw}) % {OUTCOME_METRICS}, 'workgroup',
  1 + (i - 1) / ({gw} * {OUTCOME_METRICS}), ps, ps + 6, {value.format(i="i")} * 10, 'bench',
  (ps + 7)::timestamptz, true, NULL, NULL
FROM generate_series(1, {n_group}) i
CROSS JOIN LATERAL (SELECT date '{LAST_MONDAY}' - 7 * ((i - 1) % {gw}) AS ps) d""",
        ),
        (
            "observations: pilot outcomes",
            f"""
INSERT INTO metrics_observation (id, metric_id, subject_type, subject_id, period_start,
  period_end, value, source, recorded_at, is_current, superseded_at, supersedes_id)
SELECT {n_person + n_group} + i, 5 + ((i - 1) / {iw}) % {OUTCOME_METRICS}, 'pilot',
  1 + (i - 1) / ({iw} * {OUTCOME_METRICS}), ps, ps + 6, {value.format(i="i")} * 40, 'bench',
  (ps + 7)::timestamptz, true, NULL, NULL
FROM generate_series(1, {n_pilot}) i
CROSS JOIN LATERAL (SELECT date '{LAST_MONDAY}' - 7 * ((i - 1) % {iw}) AS ps) d""",
        ),
        (
            "observations: superseded versions",
            f"""
INSERT INTO metrics_observation (id, metric_id, subject_type, subject_id, period_start,
  period_end, value, source, recorded_at, is_current, superseded_at, supersedes_id)
SELECT {old_offset} + o.id / {SUPERSEDED_EVERY}, o.metric_id, o.subject_type, o.subject_id,
  o.period_start, o.period_end, o.value - 1, o.source, o.recorded_at - interval '1 day', false,
  o.recorded_at, NULL
FROM metrics_observation o WHERE o.supersedes_id IS NOT NULL""",
        ),
        (
            "cycles",
            f"""
INSERT INTO coaching_cycle (id, workgroup_id, number, stage, previous_id, started_at,
  started_by_id, data_sought, context, data_done_at, action_done_at, learned, surprised,
  confidence, reflection_done_at, changes_next, adaptation_done_at, abandoned_at,
  abandon_reason)
SELECT c.id, c.w, c.n, c.stage, CASE WHEN c.n > 1 THEN c.id - 1 END, c.t, NULL,
  'Queue times by day', '', c.t + interval '2 days',
  CASE WHEN c.done THEN c.t + interval '7 days' END,
  CASE WHEN c.done THEN 'Hand-offs wait a day' ELSE '' END, '', c.n % 11,
  CASE WHEN c.done THEN c.t + interval '10 days' END,
  CASE WHEN c.done THEN 'Pair on intake' ELSE '' END,
  CASE WHEN c.done THEN c.t + interval '12 days' END, NULL, ''
FROM (SELECT (w - 1) * {cpw} + n AS id, w, n,
        timestamptz '{TODAY}' - ({cpw} - n + 1) * interval '{CYCLE_DAYS} days' AS t,
        NOT (n = {cpw} AND p.status = 'running') AS done,
        CASE WHEN n = {cpw} AND p.status = 'running' THEN 'action' ELSE 'completed' END AS stage
      FROM generate_series(1, {s.workgroups}) w
      JOIN pilots_pilot p ON p.id = {pilot_of_wg}
      CROSS JOIN generate_series(1, {cpw}) n) c""",
        ),
        (
            "opportunities",
            f"""
INSERT INTO coaching_opportunity (id, workgroup_id, found_in_id, addressed_in_id, title,
  description, status, estimated_value, realised_value, efficiency_unit, estimated_efficiency,
  realised_efficiency, found_at, addressed_at, dropped_at, drop_reason)
SELECT o.id, o.workgroup_id, o.id, CASE WHEN o.status = 'addressed' THEN o.id + 1 END,
  'Opportunity ' || o.id, '', o.status, 1000 + o.id % 5000,
  CASE WHEN o.status = 'addressed' THEN 800 + o.id % 4000 END,
  CASE WHEN o.id % 3 = 0 THEN 'hours' ELSE 'money' END, 10 + o.id % 90,
  CASE WHEN o.status = 'addressed' THEN 5 + o.id % 70 END,
  o.started_at + interval '3 days',
  CASE WHEN o.status = 'addressed' THEN o.started_at + interval '17 days' END,
  CASE WHEN o.status = 'dropped' THEN o.started_at + interval '9 days' END,
  CASE WHEN o.status = 'dropped' THEN 'Not worth it' ELSE '' END
FROM (SELECT c.id, c.workgroup_id, c.started_at,
        CASE WHEN c.number = {cpw} OR c.id % 10 < 3 THEN 'found'
             WHEN c.id % 10 < 5 THEN 'dropped' ELSE 'addressed' END AS status
      FROM coaching_cycle c WHERE c.number % 2 = 0) o""",
        ),
    ]


def _baselines_sql() -> str:
    """Version-1 baselines of every started pilot's supervisors (mean over the window)."""
    started = "('running','reviewing','scaled','stopped')"
    return f"""
INSERT INTO metrics_baseline (pilot_id, person_id, metric_id, value, observation_count,
  window_start, window_end, frozen_at, version, reason, metric_direction, metric_aggregation,
  metric_unit, metric_kind)
SELECT p.id, w.supervisor_id, o.metric_id, round(avg(o.value), 4), count(*),
  p.started_at::date - 7 * p.baseline_window_weeks, p.started_at::date - 1, p.started_at, 1, '',
  md.direction, md.aggregation, md.unit, md.kind
FROM pilots_pilot p
JOIN pilots_workgroup w ON w.pilot_id = p.id
JOIN metrics_observation o ON o.subject_type = 'person' AND o.subject_id = w.supervisor_id
  AND o.is_current AND o.metric_id <= {PERFORMANCE_METRICS}
  AND o.period_start >= p.started_at::date - 7 * p.baseline_window_weeks
  AND o.period_end < p.started_at::date
JOIN metrics_metricdefinition md ON md.id = o.metric_id
WHERE p.status IN {started}
GROUP BY p.id, w.supervisor_id, o.metric_id, md.id"""


def load(url: str, scale: Scale, log=None) -> dict[str, float]:
    """Fill the migrated database; return seconds per step."""
    log = log or _log
    timings: dict[str, float] = {}
    with _connect(url) as conn, conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '256MB'")
        cur.execute("SET work_mem = '64MB'")
        recreate = [sql for table in BIG_TABLES for sql in _drop_secondary(cur, table)]
        # The rollup change triggers would record millions of stale cells: the load is
        # followed by one full rebuild instead (the 'all' change row below).
        for trigger, table in PG_TRIGGERS.items():
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        started = time.perf_counter()
        _copy_org(cur, scale)
        timings["org units and people (COPY)"] = time.perf_counter() - started
        for label, sql in _statements(scale):
            started = time.perf_counter()
            for statement in sql.split(";\n"):
                cur.execute(statement)
            timings[label] = time.perf_counter() - started
            log(f"  {label}: {timings[label]:.1f} s")
        started = time.perf_counter()
        for sql in recreate:
            cur.execute(sql)
        cur.execute("ANALYZE metrics_observation")
        timings["indexes and constraints"] = time.perf_counter() - started
        # Baselines read observations through the subject index: only after it exists.
        started = time.perf_counter()
        cur.execute(_baselines_sql())
        timings["baselines of started pilots"] = time.perf_counter() - started
        cur.execute(
            """SELECT c.relname FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'id'
               WHERE c.relkind = 'r'"""
        )
        for (table,) in cur.fetchall():
            sequence = cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()[0]
            if sequence:  # explicit ids were inserted: move the identity past them
                cur.execute(
                    f"SELECT setval(%s, coalesce((SELECT max(id) FROM {table}), 1))", [sequence]
                )
        conn.commit()
        # After the commit: deferred foreign-key checks are pending until then.
        for trigger, table in PG_TRIGGERS.items():
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        cur.execute("DELETE FROM portfolio_rollupchange")
        cur.execute("INSERT INTO portfolio_rollupchange (kind) VALUES ('all')")
        conn.commit()
    started = time.perf_counter()
    with _connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    timings["vacuum analyze"] = time.perf_counter() - started
    return timings


def check_disk(scale: Scale, url: str, log) -> None:
    """Say how much disk the scale needs, and stop before starting when the server's data
    directory is on this machine and has less free."""
    need = scale.disk_bytes
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    message = f"scale {scale.name} needs about {need / 1e9:.1f} GB free for the database"
    try:
        with _connect(admin) as conn:  # SHOW data_directory: superusers and pg_read_all_settings
            folder = conn.execute("SHOW data_directory").fetchone()[0]
        free = shutil.disk_usage(folder).free
    except (OSError, psycopg.Error):  # the server is elsewhere, or will not say where
        log(f"{message}; cannot see the server's disk from here, not checked")
        return
    log(f"{message}; {free / 1e9:.1f} GB free in {folder}")
    if free < need:
        raise SystemExit(f"Not enough disk: {message}, {free / 1e9:.1f} GB free.")


def counts(url: str) -> dict[str, int]:
    tables = [
        "people_person",
        "pilots_pilot",
        "pilots_workgroup",
        "metrics_observation",
        "metrics_baseline",
        "coaching_cycle",
        "coaching_opportunity",
    ]
    with _connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def generate(scale: Scale, url: str, log=None) -> dict:
    """Create, migrate and fill `url`; return what was built and how long each part took."""
    require_postgres(url)
    log = log or _log
    check_disk(scale, url, log)
    started = time.perf_counter()
    recreate_database(url)
    migrate(url)
    migrated = time.perf_counter() - started
    log(
        f"generating {scale.name} into {urlsplit(url).path.lstrip('/')} (migrated in "
        f"{migrated:.1f} s)"
    )
    steps = load(url, scale, log=log)
    return {
        "scale": asdict(scale),
        "database": urlsplit(url).path.lstrip("/"),
        "migrate_seconds": round(migrated, 2),
        "load_seconds": round(sum(steps.values()), 2),
        "total_seconds": round(time.perf_counter() - started, 2),
        "steps": {k: round(v, 2) for k, v in steps.items()},
        "rows": counts(url),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--database-url", help="default: BENCH_POSTGRES/redefine_bench_<scale>")
    args = parser.parse_args(argv)
    url = args.database_url or database_url(args.scale)
    print(json.dumps(generate(SCALES[args.scale], url), indent=2))


if __name__ == "__main__":
    main()

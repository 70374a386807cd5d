"""Rebuild the portfolio rollups set-based, and the same numbers computed from scratch.

Everything the dashboard shows about outcomes comes from one SQL relation, `FACTS`: one row
per contributing fact (an observation, an addressed opportunity, a found opportunity, a
completed cycle) with its pilot, its month and the columns it adds to. Rules it encodes:

- value created = realised value of *addressed* opportunities (found/dropped count nothing)
  + current `value` observations; efficiency gains = current `efficiency` observations
  + realised efficiency of addressed opportunities (money or hours, kept apart);
- observations count when their subject is the pilot, one of its workgroups, or one of its
  people (a member or the supervisor of one of its workgroups) for periods starting between
  the pilot's start and its end; superseded observations never count (`is_current`);
- a metric's unit decides its column: hours (`hours`, `hour`, `h`, `hrs`) or money (the
  organisation's currency code, or `money`); other units (%, customers) are not money and
  stay out of these totals;
- the month is the calendar month of the observation's period start, of the opportunity's
  `addressed_at` / `found_at`, of the cycle's `adaptation_done_at`.

Raw SQL because it is clearer than five ORM querysets glued in Python, and because it lets
the rebuild be two `INSERT … SELECT` statements for all pilots at once.

The periodic refresh (`rollups_refresh`, called by `portfolio.tasks.refresh_rollups`) is
incremental: database triggers record the (pilot | workgroup | person, month) a write made
stale in `RollupChange`, in the writer's transaction; the refresh claims those rows,
resolves them to (pilot, month range) cells and runs the same FACTS relation restricted to a
`cells` CTE. `rollups_rebuild` (the `rebuild_rollups` command) recomputes everything and is
the oracle the incremental path is tested against. The month and date
expressions are the only vendor-specific parts (PostgreSQL and SQLite).
"""

import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from portfolio.models import HOURS_UNITS, OrganisationSettings, RollupState

OUTCOME_COLUMNS = (
    "value_money",
    "value_hours",
    "efficiency_money",
    "efficiency_hours",
    "cycles_completed",
    "opportunities_found",
    "opportunities_addressed",
)
INDICATOR_COLUMNS = OUTCOME_COLUMNS[4:]


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _date(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST({column} AS date)"
    return f"date({column})"


def _hours_list() -> str:
    return ", ".join(f"'{unit}'" for unit in HOURS_UNITS)


def _observations_sql(cells: bool = False, metric_ids: str = "") -> str:
    """Current value/efficiency observations with the pilot they count for. With `cells`,
    only those in the `cells` CTE's (pilot, month range) pairs, reached through the subject
    index (subject, then the outcome metrics `metric_ids`, then the period)."""
    obs = (
        "SELECT {pilot} AS pilot_id, o.period_start, md.kind, md.unit, o.value "
        "FROM metrics_observation o "
        "JOIN metrics_metricdefinition md ON md.id = o.metric_id AND md.kind IN "
        "('value', 'efficiency') {join} WHERE o.is_current AND o.subject_type = '{subject}'"
    )
    in_cells = ""
    if cells:
        obs += f" AND o.metric_id IN ({metric_ids or 'NULL'})"
        in_cells = (
            "JOIN cells c ON c.pilot_id = {pilot} AND o.period_start >= c.lo "
            "AND o.period_start < c.hi "
        )
    only = " WHERE w.pilot_id IN (SELECT pilot_id FROM cells)" if cells else ""
    seats = (
        "SELECT m.person_id, w.pilot_id FROM pilots_workgroupmember m "  # noqa: S608
        f"JOIN pilots_workgroup w ON w.id = m.workgroup_id{only} "
        f"UNION SELECT w.supervisor_id, w.pilot_id FROM pilots_workgroup w{only}"
    )
    run = (
        "JOIN pilots_pilot p ON p.id = {pilot} AND p.started_at IS NOT NULL "
        f"AND o.period_start >= {_date('p.started_at')} "
        f"AND (p.ended_at IS NULL OR o.period_start <= {_date('p.ended_at')}) "
    )
    # A workgroup's observations count while its pilot runs, as a person's do: before the
    # start they are the pre-period (the comparison's, see evidence/), not the pilot's gains.
    person_join = f"JOIN ({seats}) s ON s.person_id = o.subject_id " + run + in_cells
    workgroup_join = "JOIN pilots_workgroup w ON w.id = o.subject_id " + run + in_cells
    pilot_join = "JOIN pilots_pilot p ON p.id = o.subject_id " + in_cells
    return " UNION ALL ".join(
        obs.format(pilot=pilot, join=join.format(pilot=pilot), subject=subject)
        for pilot, join, subject in (
            ("p.id", pilot_join.replace("{pilot}", "o.subject_id"), "pilot"),
            ("w.pilot_id", workgroup_join, "workgroup"),
            ("s.pilot_id", person_join, "person"),
        )
    )


def _select(key: str, month: str, values: list[str], rest: str) -> str:
    """One branch of FACTS with every column named (SQLite takes names from the first)."""
    columns = [f"{key} AS key_id", f"{month} AS month"]
    columns += [f"{expr} AS {name}" for expr, name in zip(values, OUTCOME_COLUMNS, strict=True)]
    return f"SELECT {', '.join(columns)} {rest}"


def facts_sql(group: str = "pilot", *, cells: bool = False, metric_ids: str = "") -> str:
    """One row per fact: (key_id, month, the seven outcome columns), key_id being the pilot
    or the workgroup (`group`); the workgroup relation holds cycles and opportunities only.
    Takes the currency code twice as parameters (value and efficiency in money). With
    `cells`, only the facts of the `cells` CTE's (pilot_id, lo, hi) month ranges."""
    key = "w.pilot_id" if group == "pilot" else "w.id"

    def source(table: str, alias: str, at: str) -> str:
        """`table` joined to its workgroup; with `cells`, reached from the cells through
        (workgroup, timestamp) indexes, so a refresh reads the stale months' rows, not the
        whole table (a timestamp's month is >= lo and < hi exactly when the timestamp is)."""
        if not cells:
            return f"FROM {table} {alias} JOIN pilots_workgroup w ON w.id = {alias}.workgroup_id"
        return (
            "FROM cells cell JOIN pilots_workgroup w ON w.pilot_id = cell.pilot_id "
            f"JOIN {table} {alias} ON {alias}.workgroup_id = w.id "
            f"AND {alias}.{at} >= cell.lo AND {alias}.{at} < cell.hi"
        )

    hours, money = f"LOWER(unit) IN ({_hours_list()})", "UPPER(unit) IN (%s, 'MONEY')"
    realised = "COALESCE(op.realised_efficiency, 0)"
    parts = [
        _select(
            key,
            _month("op.addressed_at"),
            [
                "COALESCE(op.realised_value, 0)",
                "0",
                f"CASE WHEN op.efficiency_unit = 'money' THEN {realised} ELSE 0 END",
                f"CASE WHEN op.efficiency_unit = 'hours' THEN {realised} ELSE 0 END",
                "0",
                "0",
                "1",
            ],
            f"{source('coaching_opportunity', 'op', 'addressed_at')} "
            "WHERE op.status = 'addressed' AND op.addressed_at IS NOT NULL",
        ),
        _select(
            key,
            _month("op.found_at"),
            ["0"] * 5 + ["1", "0"],
            source("coaching_opportunity", "op", "found_at"),
        ),
        _select(
            key,
            _month("c.adaptation_done_at"),
            ["0"] * 4 + ["1", "0", "0"],
            f"{source('coaching_cycle', 'c', 'adaptation_done_at')} "
            "WHERE c.stage = 'completed' AND c.adaptation_done_at IS NOT NULL",
        ),
    ]
    if group == "pilot":
        parts.insert(
            0,
            _select(
                "pilot_id",
                _month("period_start"),
                [
                    f"CASE WHEN kind = 'value' AND {money} THEN value ELSE 0 END",
                    f"CASE WHEN kind = 'value' AND {hours} THEN value ELSE 0 END",
                    f"CASE WHEN kind = 'efficiency' AND {money} THEN value ELSE 0 END",
                    f"CASE WHEN kind = 'efficiency' AND {hours} THEN value ELSE 0 END",
                    "0",
                    "0",
                    "0",
                ],
                f"FROM ({_observations_sql(cells, metric_ids)}) obs",
            ),
        )
    return " UNION ALL ".join(parts)


def _sums(columns) -> str:
    return ", ".join(f"SUM({c})" for c in columns)


def _params(group: str, currency: str) -> list[str]:
    return [currency, currency] if group == "pilot" else []


def _insert_sql(group: str, cells: str = "", metric_ids: str = "") -> str:
    """INSERT … SELECT of one rollup table from FACTS (built from constants only); with
    `cells` (a `cells (pilot_id, lo, hi) AS (VALUES …)` CTE), only those cells' rows."""
    with_cells = f"WITH {cells} " if cells else ""
    facts = facts_sql(group, cells=bool(cells), metric_ids=metric_ids)
    if group == "pilot":
        names, sums = ", ".join(OUTCOME_COLUMNS), _sums(OUTCOME_COLUMNS)
        select = f"SELECT key_id, month, {sums} FROM ({facts}) f"  # noqa: S608
        return (
            f"INSERT INTO portfolio_pilotmonthrollup (pilot_id, month, {names}) "
            f"{with_cells}{select} GROUP BY key_id, month"
        )
    names, sums = ", ".join(INDICATOR_COLUMNS), _sums(INDICATOR_COLUMNS)
    select = f"SELECT f.key_id, w.pilot_id, f.month, {sums} FROM ({facts}) f"  # noqa: S608
    return (
        f"INSERT INTO portfolio_workgroupmonthrollup (workgroup_id, pilot_id, month, {names}) "
        f"{with_cells}{select} JOIN pilots_workgroup w ON w.id = f.key_id "
        "GROUP BY f.key_id, w.pilot_id, f.month"
    )


# A whole pilot as a month range; months are compared as dates (PostgreSQL) or ISO text.
EVER = (date(1, 1, 1), date(9999, 12, 31))
CELLS_PER_STATEMENT = 500


def _lock_state() -> RollupState:
    RollupState.objects.get_or_create(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


def _claim_changes() -> list[tuple]:
    """Take every committed change row this statement sees, and only those: a writer that
    commits after it keeps its rows for the next refresh (no watermark to fall behind)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM portfolio_rollupchange RETURNING kind, key_id, month")
        return cursor.fetchall()


def _rebuild(currency: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM portfolio_pilotmonthrollup")
        cursor.execute(_insert_sql("pilot"), _params("pilot", currency))
        cursor.execute("DELETE FROM portfolio_workgroupmonthrollup")
        cursor.execute(_insert_sql("workgroup"))


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _pilots_of(kind: str, keys: set[int]) -> dict[int, set[int]]:
    """The pilots a workgroup or a person (member or supervisor) counts for, now."""
    found: dict[int, set[int]] = {}
    keys_list = sorted(keys)
    with connection.cursor() as cursor:
        for i in range(0, len(keys_list), CELLS_PER_STATEMENT):
            chunk = keys_list[i : i + CELLS_PER_STATEMENT]
            marks = ", ".join(["%s"] * len(chunk))
            if kind == "workgroup":
                sql = f"SELECT id, pilot_id FROM pilots_workgroup WHERE id IN ({marks})"  # noqa: S608
                params = chunk
            else:
                sql = (
                    "SELECT m.person_id, w.pilot_id FROM pilots_workgroupmember m "  # noqa: S608
                    "JOIN pilots_workgroup w ON w.id = m.workgroup_id "
                    f"WHERE m.person_id IN ({marks}) "
                    f"UNION SELECT supervisor_id, pilot_id FROM pilots_workgroup "
                    f"WHERE supervisor_id IN ({marks})"
                )
                params = chunk + chunk
            cursor.execute(sql, params)
            for key, pilot in cursor.fetchall():
                found.setdefault(key, set()).add(pilot)
    return found


def stale_cells(changes) -> list[tuple[int, date, date]]:
    """The (pilot, first month, end) ranges the claimed changes made stale: a month, or every
    month of the pilot (EVER) for changes without one."""
    whole: set[int] = set()
    months: set[tuple[int, date]] = set()
    subjects: dict[str, dict[tuple[int, date | None], None]] = {"workgroup": {}, "person": {}}
    for kind, key, month in changes:
        if kind == "pilot":
            if month is None:
                whole.add(key)
            else:
                months.add((key, _as_date(month)))
        elif kind in subjects:
            subjects[kind][(key, None if month is None else _as_date(month))] = None
    for kind, keyed in subjects.items():
        pilots = _pilots_of(kind, {key for key, _ in keyed})
        for key, month in keyed:
            for pilot in pilots.get(key, ()):
                if month is None:
                    whole.add(pilot)
                else:
                    months.add((pilot, month))
    cells = [(pilot, *EVER) for pilot in sorted(whole)]
    cells += [(p, m, _next_month(m)) for p, m in sorted(months) if p not in whole]
    return cells


def _cells_cte(cells) -> tuple[str, list]:
    row = "(%s, %s, %s)"
    if connection.vendor == "postgresql":
        row = "(CAST(%s AS bigint), CAST(%s AS date), CAST(%s AS date))"
    values = ", ".join([row] * len(cells))
    params = [x if connection.vendor == "postgresql" else str(x) for cell in cells for x in cell]
    return f"cells (pilot_id, lo, hi) AS (VALUES {values})", params


def _outcome_metric_ids() -> str:
    from metrics.models import MetricDefinition

    ids = MetricDefinition.objects.filter(kind__in=["value", "efficiency"]).values_list(
        "pk", flat=True
    )
    return ", ".join(str(int(pk)) for pk in ids)


def _recompute(cells, currency: str) -> None:
    """Delete and rebuild the rollup rows of these cells only (both tables)."""
    metric_ids = _outcome_metric_ids()
    with connection.cursor() as cursor:
        for i in range(0, len(cells), CELLS_PER_STATEMENT):
            cte, params = _cells_cte(cells[i : i + CELLS_PER_STATEMENT])
            for table in ("portfolio_pilotmonthrollup", "portfolio_workgroupmonthrollup"):
                cursor.execute(
                    f"WITH {cte} DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM cells c "  # noqa: S608
                    f"WHERE c.pilot_id = {table}.pilot_id AND {table}.month >= c.lo "
                    f"AND {table}.month < c.hi)",
                    params,
                )
            cursor.execute(
                _insert_sql("pilot", cte, metric_ids), params + _params("pilot", currency)
            )
            cursor.execute(_insert_sql("workgroup", cte), params)


@transaction.atomic
def rollups_refresh() -> RollupState:
    """Bring the rollups up to date with every committed write: recompute only the
    (pilot, month) cells the recorded changes made stale (see portfolio.triggers), or
    everything when a change asks for it (currency, a metric's unit) or nothing was ever
    built. The state row is locked first, so concurrent refreshes run one after the other;
    `state.cells` says how many cells were recomputed (None: a full rebuild)."""
    started = time.monotonic()
    state = _lock_state()
    changes = _claim_changes()
    currency = OrganisationSettings.load().currency.upper()
    if state.refreshed_at is None or any(kind == "all" for kind, _, _ in changes):
        _rebuild(currency)
        state.cells = None
    else:
        cells = stale_cells(changes)
        _recompute(cells, currency)
        state.cells = len(cells)
    return _finish(state, started)


@transaction.atomic
def rollups_rebuild() -> RollupState:
    """Rebuild both rollup tables for every pilot from scratch: two DELETEs and two
    INSERT … SELECTs (the `rebuild_rollups` command, and the oracle the incremental refresh
    is tested against). Pending changes are claimed first, so they are not redone."""
    started = time.monotonic()
    state = _lock_state()
    _claim_changes()
    _rebuild(OrganisationSettings.load().currency.upper())
    state.cells = None
    return _finish(state, started)


def _finish(state: RollupState, started: float) -> RollupState:
    state.refreshed_at = timezone.now()
    state.duration_ms = int((time.monotonic() - started) * 1000)
    state.save(update_fields=["refreshed_at", "duration_ms"])
    return state


@dataclass(frozen=True)
class Totals:
    """A pilot's outcomes to date, in own units and in money."""

    value_money: Decimal
    value_hours: Decimal
    efficiency_money: Decimal
    efficiency_hours: Decimal
    cycles_completed: int
    opportunities_found: int
    opportunities_addressed: int
    value: Decimal  # money, hours converted at the loaded rate
    efficiency: Decimal  # money, hours converted at the loaded rate


def totals_from_row(row, settings: OrganisationSettings) -> Totals:
    """Totals from seven sums in OUTCOME_COLUMNS order (money to the cent, hours to 0.01)."""
    vm, vh, em, eh = (Decimal(str(x or 0)).quantize(Decimal("0.01")) for x in row[:4])
    counts = [int(x or 0) for x in row[4:7]]
    return Totals(
        vm,
        vh,
        em,
        eh,
        *counts,
        value=settings.money(amount=vm, hours=vh),
        efficiency=settings.money(amount=em, hours=eh),
    )


def portfolio_totals_from_scratch() -> dict[int, Totals]:
    """Every pilot's totals straight from observations, opportunities and cycles, without
    the rollups: the reference the benchmark (and the tests) compare the dashboard with."""
    settings = OrganisationSettings.load()
    with connection.cursor() as cursor:
        sums = _sums(OUTCOME_COLUMNS)
        sql = f"SELECT key_id, {sums} FROM ({facts_sql('pilot')}) f GROUP BY key_id"  # noqa: S608
        cursor.execute(sql, _params("pilot", settings.currency.upper()))
        return {row[0]: totals_from_row(row[1:], settings) for row in cursor.fetchall()}

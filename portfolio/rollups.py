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
the refresh be two `INSERT … SELECT` statements for all pilots at once. The month and date
expressions are the only vendor-specific parts (PostgreSQL and SQLite).
"""

import time
from dataclasses import dataclass
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


def _observations_sql() -> str:
    """Current value/efficiency observations with the pilot they count for."""
    obs = (
        "SELECT {pilot} AS pilot_id, o.period_start, md.kind, md.unit, o.value "
        "FROM metrics_observation o "
        "JOIN metrics_metricdefinition md ON md.id = o.metric_id AND md.kind IN "
        "('value', 'efficiency') {join} WHERE o.is_current AND o.subject_type = '{subject}'"
    )
    seats = (
        "SELECT m.person_id, w.pilot_id FROM pilots_workgroupmember m "
        "JOIN pilots_workgroup w ON w.id = m.workgroup_id "
        "UNION SELECT w.supervisor_id, w.pilot_id FROM pilots_workgroup w"
    )
    person_join = (
        f"JOIN ({seats}) s ON s.person_id = o.subject_id "
        "JOIN pilots_pilot p ON p.id = s.pilot_id AND p.started_at IS NOT NULL "
        f"AND o.period_start >= {_date('p.started_at')} "
        f"AND (p.ended_at IS NULL OR o.period_start <= {_date('p.ended_at')})"
    )
    # A workgroup's observations count while its pilot runs, as a person's do: before the
    # start they are the pre-period (the comparison's, see evidence/), not the pilot's gains.
    workgroup_run = (
        "JOIN pilots_pilot p ON p.id = w.pilot_id AND p.started_at IS NOT NULL "
        f"AND o.period_start >= {_date('p.started_at')} "
        f"AND (p.ended_at IS NULL OR o.period_start <= {_date('p.ended_at')})"
    )
    return " UNION ALL ".join(
        [
            obs.format(
                pilot="p.id", join="JOIN pilots_pilot p ON p.id = o.subject_id", subject="pilot"
            ),
            obs.format(
                pilot="w.pilot_id",
                join="JOIN pilots_workgroup w ON w.id = o.subject_id " + workgroup_run,
                subject="workgroup",
            ),
            obs.format(pilot="s.pilot_id", join=person_join, subject="person"),
        ]
    )


def _select(key: str, month: str, values: list[str], rest: str) -> str:
    """One branch of FACTS with every column named (SQLite takes names from the first)."""
    columns = [f"{key} AS key_id", f"{month} AS month"]
    columns += [f"{expr} AS {name}" for expr, name in zip(values, OUTCOME_COLUMNS, strict=True)]
    return f"SELECT {', '.join(columns)} {rest}"


def facts_sql(group: str = "pilot") -> str:
    """One row per fact: (key_id, month, the seven outcome columns), key_id being the pilot
    or the workgroup (`group`); the workgroup relation holds cycles and opportunities only.
    Takes the currency code twice as parameters (value and efficiency in money)."""
    key = "w.pilot_id" if group == "pilot" else "w.id"
    hours, money = f"LOWER(unit) IN ({_hours_list()})", "UPPER(unit) IN (%s, 'MONEY')"
    opportunities = "FROM coaching_opportunity op JOIN pilots_workgroup w ON w.id = op.workgroup_id"
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
            f"{opportunities} WHERE op.status = 'addressed' AND op.addressed_at IS NOT NULL",
        ),
        _select(key, _month("op.found_at"), ["0"] * 5 + ["1", "0"], opportunities),
        _select(
            key,
            _month("c.adaptation_done_at"),
            ["0"] * 4 + ["1", "0", "0"],
            "FROM coaching_cycle c JOIN pilots_workgroup w ON w.id = c.workgroup_id "
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
                f"FROM ({_observations_sql()}) obs",
            ),
        )
    return " UNION ALL ".join(parts)


def _sums(columns) -> str:
    return ", ".join(f"SUM({c})" for c in columns)


def _params(group: str, currency: str) -> list[str]:
    return [currency, currency] if group == "pilot" else []


def _insert_sql(group: str) -> str:
    """INSERT … SELECT of one rollup table from FACTS (built from constants only)."""
    if group == "pilot":
        names, sums = ", ".join(OUTCOME_COLUMNS), _sums(OUTCOME_COLUMNS)
        select = f"SELECT key_id, month, {sums} FROM ({facts_sql('pilot')}) f"  # noqa: S608
        return f"INSERT INTO portfolio_pilotmonthrollup (pilot_id, month, {names}) {select} GROUP BY key_id, month"  # noqa: E501
    names, sums = ", ".join(INDICATOR_COLUMNS), _sums(INDICATOR_COLUMNS)
    select = f"SELECT f.key_id, w.pilot_id, f.month, {sums} FROM ({facts_sql('workgroup')}) f"  # noqa: S608
    return (
        f"INSERT INTO portfolio_workgroupmonthrollup (workgroup_id, pilot_id, month, {names}) "
        f"{select} JOIN pilots_workgroup w ON w.id = f.key_id "
        "GROUP BY f.key_id, w.pilot_id, f.month"
    )


@transaction.atomic
def rollups_refresh() -> RollupState:
    """Rebuild both rollup tables for every pilot: two DELETEs and two INSERT … SELECTs.
    The state row is locked first, so concurrent refreshes run one after the other."""
    started = time.monotonic()
    RollupState.objects.get_or_create(pk=1)
    state = RollupState.objects.select_for_update().get(pk=1)
    currency = OrganisationSettings.load().currency.upper()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM portfolio_pilotmonthrollup")
        cursor.execute(_insert_sql("pilot"), _params("pilot", currency))
        cursor.execute("DELETE FROM portfolio_workgroupmonthrollup")
        cursor.execute(_insert_sql("workgroup"))
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

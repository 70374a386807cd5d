"""Scenario 2: `GET /api/v1/pilots/{id}/value-vs-efficiency/` for the pilot with the most
data, against (a) the raw SQL returning the same monthly series from the rollups with
cumulative sums, and (b) pandas computing that series from a CSV export of the pilot's fact
rows (the rows the rollups are built from). Also the payload size and points per trace."""

import json
import logging
import time
from pathlib import Path

from django.db import connection

from bench.scenarios.timing import NotAvailable, summary, timed

OUT = Path(__file__).resolve().parent.parent / "out"

RAW_SERIES = """
SELECT month, value_money, value_hours, efficiency_money, efficiency_hours,
       sum(value_money + value_hours * s.hourly_rate) OVER w AS cumulative_value,
       sum(efficiency_money + efficiency_hours * s.hourly_rate) OVER w AS cumulative_efficiency
FROM portfolio_pilotmonthrollup r CROSS JOIN portfolio_organisationsettings s
WHERE r.pilot_id = %s AND s.id = 1
WINDOW w AS (ORDER BY month)
ORDER BY month"""


FACTS_SERIES = """
SELECT month, sum(value_money), sum(value_hours), sum(efficiency_money), sum(efficiency_hours),
       sum(sum(value_money + value_hours * %s)) OVER w AS cumulative_value,
       sum(sum(efficiency_money + efficiency_hours * %s)) OVER w AS cumulative_efficiency
FROM ({facts}) f WHERE key_id = %s GROUP BY month WINDOW w AS (ORDER BY month) ORDER BY month"""


def _from_facts(pilot_id: int, currency: str, rate):
    from portfolio.rollups import facts_sql

    with connection.cursor() as cursor:
        cursor.execute(
            FACTS_SERIES.format(facts=facts_sql("pilot")),
            [rate, rate, currency, currency, pilot_id],
        )
        return cursor.fetchall()


def biggest_pilot() -> int:
    """The started pilot whose chart covers the most facts (most workgroups, longest run)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT p.id FROM pilots_pilot p JOIN pilots_workgroup w ON w.pilot_id = p.id
               WHERE p.started_at IS NOT NULL
               GROUP BY p.id ORDER BY count(*) DESC, min(p.started_at), p.id LIMIT 1"""
        )
        row = cursor.fetchone()
    if row is None:
        raise NotAvailable("no started pilot in this database")
    return row[0]


def _raw(pilot_id: int):
    with connection.cursor() as cursor:
        cursor.execute(RAW_SERIES, [pilot_id])
        return cursor.fetchall()


def _export_facts(pilot_id: int, path: Path) -> int:
    from portfolio.models import OrganisationSettings
    from portfolio.rollups import facts_sql

    currency = OrganisationSettings.load().currency.upper()
    sql = f"SELECT * FROM ({facts_sql('pilot')}) f WHERE key_id = {int(pilot_id)}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) c", [currency, currency])
        rows = cursor.fetchone()[0]
        literal = sql.replace("%s", f"'{currency}'")
        with (
            path.open("wb") as handle,
            cursor.cursor.copy(f"COPY ({literal}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy,
        ):
            for chunk in copy:
                handle.write(chunk)
    return rows


def _pandas_series(path: Path, hourly_rate: float):
    import pandas as pd

    facts = pd.read_csv(path, parse_dates=["month"])
    monthly = facts.groupby("month")[
        ["value_money", "value_hours", "efficiency_money", "efficiency_hours"]
    ].sum()
    monthly["cumulative_value"] = (
        monthly["value_money"] + monthly["value_hours"] * hourly_rate
    ).cumsum()
    monthly["cumulative_efficiency"] = (
        monthly["efficiency_money"] + monthly["efficiency_hours"] * hourly_rate
    ).cumsum()
    return monthly


PER_SAMPLE = 20  # requests per sample: one request is ~1 ms, below the machine's noise


def interleaved(calls: dict, *, runs: int, warmup: int) -> dict:
    """Each sample is the mean of PER_SAMPLE calls; the calls take turns sample by sample,
    so a change of load on the shared machine falls on all of them alike."""
    samples = {name: [] for name in calls}
    for n in range(warmup + runs):
        for name, fn in calls.items():
            started = time.perf_counter()
            for _ in range(PER_SAMPLE):
                fn()
            if n >= warmup:
                samples[name].append((time.perf_counter() - started) * 1000 / PER_SAMPLE)
    return {name: summary(values) for name, values in samples.items()}


def _quietly(fn):
    """Run `fn` without Django logging each 404 as a warning."""
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        return fn()
    finally:
        request_log.setLevel(level)


def points_per_trace(body) -> int:
    """The longest list in the payload: a trace's number of points."""
    if isinstance(body, dict):
        return max([points_per_trace(v) for v in body.values()] or [0])
    if isinstance(body, list):
        return max([len(body), *[points_per_trace(v) for v in body]])
    return 0


def measure(ctx) -> dict:
    try:
        from portfolio.models import OrganisationSettings
        from portfolio.rollups import rollups_refresh
    except ImportError as exc:
        raise NotAvailable(f"portfolio rollups: {exc}") from exc
    rollups_refresh()
    pilot_id = biggest_pilot()
    path = f"/api/v1/pilots/{pilot_id}/value-vs-efficiency/"

    def endpoint():
        response = ctx.api_get(path)
        if response.status_code == 404:
            raise NotAvailable(f"{path} answers 404")
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response

    def floor():
        # The same client, token and middleware answering 404 after one pilot query: what
        # any authenticated API request costs here before it does its own work.
        response = ctx.api_get("/api/v1/pilots/0/value-vs-efficiency/")
        assert response.status_code == 404, response.status_code

    def bare():
        # A bare DRF view (no authentication, permission or throttle) answering the same 404
        # through the same client and middleware, with the same header: the framework's floor.
        response = ctx.api_get("/bench/bare/0/")
        assert response.status_code == 404, response.status_code

    body = endpoint().content
    OUT.mkdir(exist_ok=True)
    csv_path = OUT / f"facts_pilot_{pilot_id}.csv"
    fact_rows = _export_facts(pilot_id, csv_path)
    organisation = OrganisationSettings.load()
    rate, currency = float(organisation.hourly_rate), organisation.currency.upper()
    page = ctx.web.get(f"/portfolio/pilots/{pilot_id}/")
    return {
        "pilot": pilot_id,
        **_quietly(
            lambda: interleaved(
                {"endpoint": endpoint, "api_floor": floor, "bare_drf": bare},
                runs=ctx.runs,
                warmup=ctx.warmup,
            )
        ),
        "raw_sql": timed(lambda: _raw(pilot_id), runs=ctx.runs, warmup=ctx.warmup),
        "facts_sql": timed(
            lambda: _from_facts(pilot_id, currency, organisation.hourly_rate),
            runs=ctx.runs,
            warmup=ctx.warmup,
        ),
        "pandas": timed(lambda: _pandas_series(csv_path, rate), runs=ctx.runs, warmup=ctx.warmup),
        "fact_rows": fact_rows,
        "series_rows": len(_raw(pilot_id)),
        "payload_bytes": len(body),
        "points_per_trace": points_per_trace(json.loads(body)),
        "chart_page_bytes": len(page.content) if page.status_code == 200 else None,
    }

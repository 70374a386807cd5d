"""Scenario 5b: latency of the observations list (cursor pagination), its first page and a
page a few cursors deep. `bench.run` alternates short runs of this scenario on the large and
the small database, so that load from other processes falls on both alike."""

from django.db import connection

from bench.scenarios.lists import OBSERVATIONS, deep_cursor
from bench.scenarios.timing import NotAvailable, timed


def measure(ctx) -> dict:
    if ctx.api_get(OBSERVATIONS).status_code != 200:
        raise NotAvailable(f"{OBSERVATIONS} does not answer 200")
    result = {"first_page": timed(lambda: ctx.api_get(OBSERVATIONS), runs=ctx.runs, warmup=2)}
    deep = deep_cursor(ctx)
    if deep:
        result["deep_page"] = timed(lambda: ctx.api_get(deep), runs=ctx.runs, warmup=2)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", ["metrics_observation"]
        )
        result["observation_rows"] = cursor.fetchone()[0]
    return result

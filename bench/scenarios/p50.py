"""Scenario 5b: latency of the observations list (cursor pagination), its first page and a
page a few cursors deep. `bench.run` alternates short runs of this scenario on the large and
the small database, so that load from other processes falls on both alike."""

from django.db import connection

from bench.scenarios.lists import OBSERVATIONS, deep_cursor
from bench.scenarios.timing import NotAvailable, timed

# Every ordering the large lists allow that is not their default: the slowest is reported.
ORDERINGS = [
    "/api/v1/observations/?ordering=id",
    "/api/v1/people/?ordering=-full_name",
    "/api/v1/people/?ordering=-updated_at",
    "/api/v1/people/?ordering=-external_id",
    "/api/v1/baselines/?ordering=-frozen_at",
    "/api/v1/baselines/?ordering=-id",
]


def measure(ctx) -> dict:
    if ctx.api_get(OBSERVATIONS).status_code != 200:
        raise NotAvailable(f"{OBSERVATIONS} does not answer 200")
    result = {"first_page": timed(lambda: ctx.api_get(OBSERVATIONS), runs=ctx.runs, warmup=2)}
    deep = deep_cursor(ctx)
    if deep:
        result["deep_page"] = timed(lambda: ctx.api_get(deep), runs=ctx.runs, warmup=2)
    orderings = {
        path: timed(lambda path=path: ctx.api_get(path), runs=ctx.runs, warmup=1)
        for path in ORDERINGS
        if ctx.api_get(path).status_code == 200
    }
    if orderings:
        path = max(orderings, key=lambda p: orderings[p]["median_ms"])
        result["slowest_ordering"] = {**orderings[path], "path": path}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", ["metrics_observation"]
        )
        result["observation_rows"] = cursor.fetchone()[0]
    return result

"""Scenario 3: `POST /api/v1/observations/bulk/` with 10,000-row batches (each batch its own
weeks, so every row is created), rows per second against PostgreSQL COPY of the same rows
(ids already resolved) into a scratch table; then the same batch re-sent must add 0 rows.

Observations are append-only (a trigger refuses DELETE), so the rows written here stay in
the bench database: this scenario runs last."""

import datetime as dt
import json
import time

from django.db import connection

from bench.scenarios.timing import NotAvailable, summary, timed

BATCH = 10_000
PATH = "/api/v1/observations/bulk/"
FIRST_WEEK = dt.date(2023, 1, 2)  # before the generated history: no clash with its rows


def _batch(people: list[tuple[int, str]], metrics: list[tuple[int, str]], source: str, k: int):
    """Batch `k`: BATCH rows over people × metrics × its own weeks (earlier batches, earlier
    weeks), so batches never share a natural key. (JSON rows, resolved tuples for COPY)."""
    rows, resolved = [], []
    per_week = len(people) * len(metrics)
    weeks = -(-BATCH // per_week)
    for i in range(BATCH):
        pk, external_id = people[i % len(people)]
        metric_pk, key = metrics[(i // len(people)) % len(metrics)]
        week = i // per_week - weeks * (k + 1)
        start = FIRST_WEEK + dt.timedelta(weeks=week)
        end = start + dt.timedelta(days=6)
        value = f"{50 + (i * 7919) % 5000 / 100:.2f}"
        rows.append(
            {
                "metric": key,
                "subject_type": "person",
                "subject_id": external_id,
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "value": value,
                "source": source,
            }
        )
        resolved.append((metric_pk, "person", pk, start, end, value, source))
    return rows, resolved


def _copy(resolved) -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_copy_scratch")
        with cursor.cursor.copy(
            "COPY bench_copy_scratch (metric_id, subject_type, subject_id, period_start, "
            "period_end, value, source) FROM STDIN"
        ) as copy:
            for row in resolved:
                copy.write_row(row)


class _Rollback(Exception):
    pass


def _copy_into_observations(resolved, source: str) -> None:
    """COPY the batch into metrics_observation itself (its four indexes maintained), then
    roll back: the floor for adding these rows to the real table."""
    from django.db import transaction
    from django.utils import timezone

    now = timezone.now()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(
                "COPY metrics_observation (metric_id, subject_type, subject_id, period_start, "
                "period_end, value, source, recorded_at, is_current) FROM STDIN"
            ) as copy:
                for row in resolved:
                    copy.write_row((*row[:6], source, now, True))
            raise _Rollback
    except _Rollback:
        pass


def measure(ctx) -> dict:
    from metrics.models import MetricDefinition
    from people.models import Person

    people = list(Person.objects.order_by("pk").values_list("pk", "external_id")[:2000])
    metrics = list(
        MetricDefinition.objects.filter(kind="performance").order_by("pk").values_list("pk", "key")
    )
    run_id = time.strftime("%Y%m%d%H%M%S")
    headers = {"Authorization": f"Bearer {ctx.token}"}

    def post(rows):
        started = time.perf_counter()
        response = ctx.web_anonymous.post(
            PATH, json.dumps({"rows": rows}), content_type="application/json", headers=headers
        )
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code in (404, 405):
            raise NotAvailable(f"{PATH} answers {response.status_code}")
        assert response.status_code == 200, (response.status_code, response.content[:500])
        return elapsed, response.json()

    first, again, created, added_again = [], [], [], []
    batches = []
    for k in range(ctx.runs + ctx.warmup):
        rows, resolved = _batch(people, metrics, f"bench-{run_id}", k)
        batches.append(resolved)
        elapsed, body = post(rows)
        elapsed_again, body_again = post(rows)
        if k >= ctx.warmup:  # the first batch warms caches and the connection
            first.append(elapsed)
            again.append(elapsed_again)
            created.append(body["created"])
            added_again.append(body_again["created"] + body_again["updated"])
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS bench_copy_scratch (metric_id bigint, "
            "subject_type varchar(10), subject_id bigint, period_start date, period_end date, "
            "value numeric(20, 4), source varchar(64))"
        )
    copy = timed(lambda: _copy(batches[0]), runs=ctx.runs, warmup=ctx.warmup)
    copy_real = timed(
        lambda: _copy_into_observations(batches[0], f"bench-copy-{run_id}"),
        runs=ctx.runs,
        warmup=ctx.warmup,
    )
    return {
        "batch_rows": BATCH,
        "first": summary(first),
        "resend": summary(again),
        "copy": copy,
        "copy_into_observations": copy_real,
        "created_per_batch": created,
        "added_on_resend": added_again,
    }

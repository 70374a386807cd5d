"""Scenario 6: peak memory of a fresh process serving the largest charts (the dashboard, the
biggest pilot's chart page and its API series): tracemalloc peak of one request, and the
resident set size after the first request, after a warm-up, and after 20 more requests.
Flat means no growth from the warm-up on: the first few requests of a process fill Django's
template, URL and query caches and Python's allocator arenas once (measured at full scale:
+13 MB over the first ten dashboard requests, then ±1 MB over the next ninety)."""

import json
import os
import resource
import subprocess
import sys
import tracemalloc

from bench.scenarios.timing import NotAvailable

WARMUP = 10
REPEATS = 20


def _rss_mb() -> float:
    """The current resident set (not the high-water mark, which only ever grows)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def probe(paths: list[str]) -> dict:
    """Runs in the child process: Django is configured, nothing served yet."""
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="bench-leader"))
    client.get("/healthz")
    result = {"rss_mb_start": round(_rss_mb(), 1), "paths": {}}
    for path in paths:
        tracemalloc.start()
        response = client.get(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rss_first = _rss_mb()
        for _ in range(WARMUP):
            client.get(path)
        rss_warm = _rss_mb()
        for _ in range(REPEATS):
            client.get(path)
        result["paths"][path] = {
            "status": response.status_code,
            "bytes": len(response.content),
            "tracemalloc_peak_mb": round(peak / 2**20, 2),
            "rss_mb_after_first": round(rss_first, 1),
            "rss_mb_after_warmup": round(rss_warm, 1),
            "rss_mb_after_repeats": round(_rss_mb(), 1),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    return result


def measure(ctx) -> dict:
    from bench.scenarios.chart import biggest_pilot

    try:
        import portfolio.rollups  # noqa: F401
    except ImportError as exc:
        raise NotAvailable(f"portfolio: {exc}") from exc
    pilot = biggest_pilot()
    paths = [
        "/portfolio/",
        f"/portfolio/pilots/{pilot}/",
        f"/api/v1/pilots/{pilot}/value-vs-efficiency/",
    ]
    output = subprocess.run(
        [sys.executable, "-m", "bench.scenarios.memory", ctx.database_url, *paths],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ},
    ).stdout
    return {"pilot": pilot, **json.loads(output.strip().splitlines()[-1])}


if __name__ == "__main__":
    from bench.scenarios.runner import configure_django

    configure_django(sys.argv[1])
    print(json.dumps(probe(sys.argv[2:])))

"""Timing a callable over several runs after a warm-up: median and spread, in ms."""

import statistics
import time
from collections.abc import Callable


def summary(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    quartiles = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else ordered * 3
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "min_ms": round(ordered[0], 3),
        "max_ms": round(ordered[-1], 3),
        "p25_ms": round(quartiles[0], 3),
        "p75_ms": round(quartiles[2], 3),
        "runs": len(ordered),
        "samples_ms": [round(x, 3) for x in samples_ms],
    }


def timed(fn: Callable[[], object], *, runs: int, warmup: int = 1) -> dict:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return summary(samples)


class NotAvailable(Exception):
    """The code path this scenario measures has not landed yet (404, missing function)."""

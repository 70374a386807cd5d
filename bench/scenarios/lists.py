"""Scenario 5a: queries per request of every list page and API list endpoint, compared
between a large and a small organisation by `bench.run` (the p50 is in `p50`)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

WEB_LISTS = [
    "/pilots/",
    "/coaching/",
    "/metrics/",
    "/metrics/imports/",
    "/portfolio/",
    "/portfolio/?page=2",
    "/people/search/?q=an",
    "/integrations/",
]
API_LISTS = [
    "people/",
    "org-units/",
    "metric-definitions/",
    "observations/",
    "baselines/",
    "pilots/",
    "cycles/",
    "opportunities/",
    "portfolio/summary/",
]
OBSERVATIONS = "/api/v1/observations/"


def _count(get) -> dict:
    """Queries of a warm request: the first one in a process also fills per-process caches
    (a token's last-used stamp, settings rows created on first read)."""
    get()
    with CaptureQueriesContext(connection) as queries:
        response = get()
    if response.status_code == 404:
        return {"status": 404, "queries": None}
    return {"status": response.status_code, "queries": len(queries), "bytes": len(response.content)}


def deep_cursor(ctx, pages: int = 5) -> str | None:
    """The `next` link after a few pages, as a path with its query string."""
    response = ctx.api_get(OBSERVATIONS)
    for _ in range(pages):
        if response.status_code != 200 or not response.json().get("next"):
            return None
        next_url = response.json()["next"]
        response = ctx.api_get(next_url.split("testserver", 1)[-1])
    return next_url.split("testserver", 1)[-1]


def measure(ctx) -> dict:
    try:  # the dashboard reads rollups: build them, as the beat task would have
        from portfolio.rollups import rollups_refresh

        rollups_refresh()
    except ImportError:
        pass
    counts = {}
    for path in WEB_LISTS:
        counts[path] = _count(lambda path=path: ctx.web.get(path))
    for path in API_LISTS:
        counts[f"/api/v1/{path}"] = _count(lambda path=path: ctx.api_get(f"/api/v1/{path}"))
    return {"queries": counts}

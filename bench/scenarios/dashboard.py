"""Scenario 1: the portfolio dashboard (full HTTP request, rollups refreshed first) against
the raw SQL that computes the same totals from scratch (`portfolio_totals_from_scratch`)."""

import time

from bench.scenarios.timing import NotAvailable, timed


def measure(ctx) -> dict:
    try:
        from portfolio.rollups import portfolio_totals_from_scratch, rollups_rebuild
    except ImportError as exc:
        raise NotAvailable(f"portfolio rollups: {exc}") from exc
    started = time.perf_counter()
    rollups_rebuild()
    refresh_ms = (time.perf_counter() - started) * 1000

    def page():
        response = ctx.web.get("/portfolio/")
        if response.status_code == 404:
            raise NotAvailable("/portfolio/ answers 404")
        assert response.status_code == 200, response.status_code
        return response

    size = len(page().content)
    return {
        "page": timed(page, runs=ctx.runs, warmup=ctx.warmup),
        "from_scratch": timed(portfolio_totals_from_scratch, runs=ctx.runs, warmup=ctx.warmup),
        "pilots": len(portfolio_totals_from_scratch()),
        "refresh_ms": round(refresh_ms, 1),
        "page_bytes": size,
    }

"""A pilot's charts in its 1st, 4th and 40th week, in Chromium: the axes' tick labels are
dates a reader expects (never clock times around one instant), the cadence chart draws every
cycle, and each chart's data table holds exactly the points drawn."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from coaching import services
from portfolio.rollups import rollups_refresh
from tests.browser.support import login, screenshot
from tests.coaching.conftest import make_pilot, make_workgroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLOCK = re.compile(r"\d\d:\d\d")


def _pilot_of_age(bob, carol, days: int):
    pilot = make_pilot(bob, started_days_ago=days)
    group = make_workgroup(pilot, carol)
    for offset in sorted({0, days // 2, days}):
        at = timezone.now() - dt.timedelta(days=days - offset)
        cycle = services.cycle_start(workgroup=group, by=carol, at=at)
        services.cycle_abandon(cycle=cycle, by=carol, reason="next one", at=at)
    rollups_refresh()
    return pilot


def _ticks(page, key: str) -> list[str]:
    return page.eval_on_selector_all(
        f"#plot-{key} .xtick text", "nodes => nodes.map(n => n.textContent)"
    )


def _points(page, key: str) -> int:
    """Points of the chart's first trace (one per table row: value and efficiency share a
    row; the cadence chart has one workgroup here)."""
    return page.evaluate(f"document.getElementById('plot-{key}').data[0].x.length")


@pytest.mark.parametrize("days", [3, 24, 276])
def test_the_charts_read_right_at_every_age(live_server, page, bob, carol, days):
    pilot = _pilot_of_age(bob, carol, days)
    login(page, live_server, "bob")
    page.goto(f"{live_server.url}/portfolio/pilots/{pilot.pk}/")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .xtick').length > 0")
    for key in ("value-vs-efficiency", "cadence"):
        ticks = _ticks(page, key)
        assert ticks and not any(CLOCK.search(t) for t in ticks), (key, ticks)
        assert len(ticks) <= 14, (key, ticks)
        rows = page.locator(f"[data-table={key}] tbody tr").count()
        assert rows == _points(page, key), key
    # Every one of the three cycles is a point, plus the gap still running to today.
    assert page.locator("[data-table=cadence] tbody tr").count() == 3 + 1
    screenshot(page, f"pilot-charts-week-{days // 7 + 1}")
    assert page.console_errors == []

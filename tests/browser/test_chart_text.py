"""In Chromium, a pilot and a workgroup named like a link render in the Plotly charts as the
characters typed: no <a> in any chart's SVG, on the dashboard or on the pilot's page."""

import pytest

from portfolio.rollups import rollups_refresh
from tests.browser.support import login
from tests.portfolio.conftest import build_portfolio

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = '<a href="https://evil.example/">x</a>'


@pytest.fixture
def hostile(alice, carol):
    pilots = build_portfolio(alice, carol, pilots=2, prefix=HOSTILE)
    pilots[0].workgroups.filter(name="Group 1").update(name=f"{HOSTILE} group")
    rollups_refresh()
    return pilots


def _svg_text(page) -> str:
    return page.evaluate(
        "[...document.querySelectorAll('.js-plotly-plot svg')].map(s => s.textContent).join(' ')"
    )


def _links_in_charts(page) -> int:
    return page.locator(".js-plotly-plot svg a").count()


def test_a_pilot_named_like_a_link_is_drawn_as_text_on_the_dashboard(live_server, page, hostile):
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/portfolio/")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= 2")
    assert _links_in_charts(page) == 0
    assert f"{HOSTILE} 1" in _svg_text(page)
    assert page.console_errors == []


def test_a_workgroup_named_like_a_link_is_drawn_as_text_on_the_pilot_page(
    live_server, page, hostile
):
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/portfolio/pilots/{hostile[0].pk}/")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= 3")
    assert _links_in_charts(page) == 0
    assert f"{HOSTILE} group" in _svg_text(page)
    assert page.console_errors == []

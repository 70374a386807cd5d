"""In Chromium, a portfolio leader opens the dashboard and a pilot's charts: the Plotly
graphs render (SVG present) without console errors. Screenshots go to $SCREENSHOT_DIR."""

import os
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from demo import portfolio as portfolio_demo
from demo.steps import DemoContext
from pilots.models import Approach, CompetingInitiative, Tie
from tests.browser.support import SCREENSHOTS, login, screenshot
from tests.portfolio.conftest import make_cycle, make_opportunity, make_pilot, make_workgroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PILOTS = [
    ("Claims without waiting", Approach.WORK_REDEFINITION, 34),
    ("Customer onboarding", Approach.WORK_REDEFINITION, 30),
    ("Invoice automation", Approach.JOB_REDESIGN, 34),
    ("Payroll self-service", Approach.JOB_REDESIGN, 28),
    ("Field service redesign", Approach.WORK_REDEFINITION, 14),
    ("Procurement bots", Approach.JOB_REDESIGN, 10),
]


def _history(workgroup, started, rng, *, chance: float = 0.4) -> None:
    """Cycles about every two weeks (with a few long gaps) and some opportunities."""
    day, number = timezone.localdate(started) + timedelta(days=3), 1
    today = timezone.localdate()
    while day < today - timedelta(days=5):
        cycle = make_cycle(workgroup, number=number, started=day, completed=day + timedelta(4))
        # Confidence climbs a point every other cycle (no draw from rng: the opportunities'
        # values, and so the near-stop flag, stay as they were).
        cycle.confidence = min(10, 3 + number // 2)
        cycle.save(update_fields=["confidence"])
        if rng.random() < chance:
            addressed = day + timedelta(days=20)
            done = addressed < today
            make_opportunity(
                cycle,
                status="addressed" if done else "found",
                found=day + timedelta(days=2),
                addressed=addressed if done else None,
                realised_value=Decimal(rng.randint(5, 40) * 100) if done else None,
            )
        day += timedelta(days=rng.choice([12, 14, 14, 15, 21, 30]))
        number += 1


@pytest.fixture
def portfolio(alice, bob, carol, dan):
    rng = random.Random(7)
    pilots = []
    for n, (name, approach, weeks) in enumerate(PILOTS):
        started = timezone.now() - timedelta(weeks=weeks)
        pilot = make_pilot(
            alice if n % 3 else bob, name=name, approach=approach, started_at=started
        )
        for g, supervisor in enumerate([carol, dan]):
            workgroup = make_workgroup(pilot, supervisor, name=["Front office", "Back office"][g])
            # The field service pilot is in its lag: cycles happen, nothing addressed yet.
            _history(workgroup, started, rng, chance=0 if n == 4 else 0.4)
        if n == 3:
            Tie.objects.create(workgroup=workgroup, counterpart="IT", frequency=4, strength=3)
            CompetingInitiative.objects.create(
                workgroup=workgroup, name="ERP", time_share_percent=35
            )
        pilots.append(pilot)
    portfolio_demo.seed(DemoContext(seed=42, people=50, pilots=6, months=9))
    return pilots


def _charts_rendered(page, count: int) -> None:
    page.wait_for_selector("svg.main-svg")
    # A function, not an expression: the CSP refuses the eval() Playwright would use.
    page.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot').length >= {count}")
    assert page.locator(".js-plotly-plot svg.main-svg").count() >= count


def test_a_leader_reads_the_portfolio_and_a_pilots_charts(live_server, page, portfolio):
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/portfolio/")
    _charts_rendered(page, 3)
    assert page.locator("#plot-confidence svg.main-svg").count() >= 1
    assert page.locator("#pilots tbody tr").count() == len(PILOTS)
    assert page.locator("[data-flag=near_premature_stop]").count() == 1
    assert "updated" in page.inner_text("[data-freshness]")
    screenshot(page, "portfolio-dashboard")

    page.get_by_role("link", name="Claims without waiting").click()
    page.wait_for_load_state("networkidle")
    _charts_rendered(page, 3)
    screenshot(page, "portfolio-pilot")
    assert page.console_errors == []


def test_the_dashboard_reads_well_on_a_phone(live_server, phone, portfolio):
    login(phone, live_server, "alice")
    phone.goto(f"{live_server.url}/portfolio/")
    _charts_rendered(phone, 3)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "portfolio-dashboard-phone")
    if SCREENSHOTS:  # the confidence chart alone, to read its labels at phone width
        phone.locator("figure[aria-labelledby=title-confidence]").screenshot(
            path=os.path.join(SCREENSHOTS, "portfolio-confidence-phone.png")
        )
    assert phone.console_errors == []

"""The home page's "What needs you" at 390 and 1280 px: each item's action can be tapped (44
px at least), nothing widens a phone's page, and the first action a supervisor meets signs
their charter. Screenshots go to $SCREENSHOT_DIR."""

import datetime as dt

import pytest
from django.utils import timezone

from metrics.models import BelowBaselineAlert, MetricDefinition
from pilots.models import Pilot
from tests.browser.support import login, screenshot
from tests.browser.test_supervisor_phone import SMALL_TARGETS
from tests.pilots.conftest import make_pilot, make_workgroup, running_pilot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "Customer-claims-intake-and-triage-" * 4  # a long name with no space to wrap at


@pytest.fixture
def waiting(alice, bob, carol, dan, erin):
    """carol: a charter to sign and an overdue group; bob: an assurance to confirm, a pilot
    at its review date and carol's below-baseline weeks; alice: bob's draft to approve."""
    draft = make_pilot(bob, name=f"Intake {LONG}")
    make_workgroup(draft, bob, carol, name=f"Intake {LONG}", members=[erin])
    running = running_pilot(
        bob, dan, name="Billing pilot", at=timezone.now() - dt.timedelta(days=30)
    )
    Pilot.objects.filter(pk=running.pk).update(review_date=running.planned_start)
    metric = MetricDefinition.objects.create(
        key="first_contact_resolution",
        name="First-contact resolution",
        unit="%",
        kind="performance",
        direction="higher_is_better",
        aggregation="mean",
    )
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday(), weeks=1)
    BelowBaselineAlert.objects.create(
        pilot=running,
        person=dan.person,
        metric=metric,
        period_start=monday,
        period_end=monday + dt.timedelta(days=6),
        actual=70,
        baseline=80,
    )


def _look(page, live_server, who: str, width: int) -> None:
    login(page, live_server, who)
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, who
    assert page.evaluate(SMALL_TARGETS) == [], who
    screenshot(page, f"home-{who}-{width}")


@pytest.mark.parametrize("who", ["carol", "dan", "bob", "alice", "erin"])
def test_what_needs_you_fits_a_phone(live_server, phone, waiting, who):
    _look(phone, live_server, who, 390)
    assert phone.console_errors == []


@pytest.mark.parametrize("who", ["carol", "bob", "alice"])
def test_what_needs_you_at_desktop_width(live_server, page, waiting, who):
    _look(page, live_server, who, 1280)


def test_a_supervisor_signs_their_charter_from_home(live_server, phone, waiting):
    login(phone, live_server, "carol")
    phone.goto(f"{live_server.url}/")
    first = phone.locator("#what-needs-me .waiting-item .btn").first
    assert first.inner_text() == "Sign your charter"
    first.click()
    phone.wait_for_load_state("networkidle")
    assert "/pilots/charters/" in phone.url

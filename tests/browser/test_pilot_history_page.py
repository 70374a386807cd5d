"""The pilot's audit trail in Chromium at 390 and 1280 px: every row's sentence reads in
full and nothing widens a phone's page. Screenshots go to $SCREENSHOT_DIR."""

import datetime as dt

import pytest

from core.history import acting_as
from pilots import services, workgroups
from tests.browser.support import login, screenshot
from tests.pilots.conftest import make_pilot, make_workgroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pilot(alice, bob, carol, erin, dan):
    with acting_as(user=bob):
        pilot = make_pilot(bob)
        group = make_workgroup(pilot, bob, carol, members=[erin, dan])
        services.pilot_update(pilot=pilot, by=bob, data={"review_date": dt.date(2027, 7, 1)})
        workgroups.tie_add(workgroup=group, by=bob, counterpart="Legal", frequency=3, strength=2)
        workgroups.workgroup_member_remove(workgroup=group, by=bob, person=dan.person)
    with acting_as(user=carol):
        workgroups.charter_sign(
            workgroup=group, by=carol, open_minded=True, risk_tolerant=True,
            customer_commitment=True,
        )  # fmt: skip
    with acting_as(user=bob):
        workgroups.charter_confirm_assurance(workgroup=group, by=bob)
    return pilot


@pytest.mark.parametrize(("fixture", "width"), [("phone", 390), ("page", 1280)])
def test_the_history_reads_at_both_widths(live_server, request, pilot, fixture, width):
    browser = request.getfixturevalue(fixture)
    login(browser, live_server, "bob")
    browser.goto(f"{live_server.url}/pilots/{pilot.pk}/history/")
    browser.wait_for_load_state("networkidle")
    assert browser.evaluate("document.documentElement.scrollWidth") <= width
    text = browser.inner_text("#pilot-history")
    assert "Bob changed Review date from 1 Jun 2027 to 1 Jul 2027" in text
    assert "Bob added Erin to Triage" in text
    assert "Bob confirmed the assurance for the supervisor of Triage" in text
    screenshot(browser, f"pilot-history-{width}")

"""An HR admin invites a new supervisor from the people page and grants the role; the
supervisor follows the e-mailed link on a phone, chooses a password, logs in and signs
their charter. Screenshots of the people pages at 1280 and 390 px go to $SCREENSHOT_DIR."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from people.models import Person
from pilots.models import Charter, PilotStatus
from tests.browser.support import login, screenshot
from tests.browser.test_supervisor_phone import SMALL_TARGETS
from tests.coaching.conftest import make_pilot
from tests.factories import WorkgroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long new passphrase 42"


@pytest.fixture
def newcomer(bob, org, settings, live_server):
    """Sam supervises a group of a pilot not started yet, and has no login."""
    settings.REDEFINE_SITE_URL = live_server.url
    sam = Person.objects.create(
        external_id="P-SAM", full_name="Sam Supervisor", email="sam@example.com", org_unit=org
    )
    pilot = make_pilot(bob, status=PilotStatus.APPROVED, name="Intake pilot")
    group = WorkgroupFactory(pilot=pilot, name="Intake", supervisor=sam)
    Charter.objects.create(workgroup=group)
    return group


def _fits(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert page.evaluate(SMALL_TARGETS) == [], name
    screenshot(page, f"{name}-{width}")


def test_an_hr_admin_invites_a_supervisor_who_signs_their_charter_on_a_phone(
    live_server, page, phone, hilda, newcomer
):
    login(page, live_server, "hilda")
    page.get_by_role("link", name="People", exact=True).first.click()
    page.fill("#id_q", "Sam")
    page.get_by_role("button", name="Search").click()
    _fits(page, "people-list")
    page.get_by_role("link", name="Sam Supervisor").click()
    page.get_by_role("button", name="Invite to log in").click()
    assert "An invitation to log in is on its way" in page.inner_text(".messages")
    page.get_by_role("button", name="Grant Supervisor").click()
    assert "now holds the Supervisor role" in page.inner_text(".messages")
    _fits(page, "person-page")

    (email,) = mail.outbox
    link = re.search(r"(http\S+/accounts/password/reset/\S+/)", email.body).group(1)
    phone.goto(link)
    _fits(phone, "invited-set-password")
    phone.fill("#id_new_password1", PASSWORD)
    phone.fill("#id_new_password2", PASSWORD)
    phone.get_by_role("button", name="Set the password").click()
    phone.wait_for_load_state("networkidle")
    login(phone, live_server, "P-SAM", PASSWORD)
    phone.goto(f"{live_server.url}{reverse('pilots:charter', args=[newcomer.pk])}")
    _fits(phone, "invited-charter")
    for box in phone.locator("#sign input[type=checkbox]").all():
        box.check()
    phone.get_by_role("button", name="Sign the charter").click()
    phone.wait_for_load_state("networkidle")
    assert Charter.objects.get(workgroup=newcomer).signed_at is not None
    screenshot(phone, "invited-charter-signed-390")
    assert phone.console_errors == [] and page.console_errors == []


def test_the_people_pages_fit_a_phone(live_server, phone, hilda, newcomer):
    login(phone, live_server, "hilda")
    phone.goto(f"{live_server.url}/people/")
    _fits(phone, "people-list")
    phone.goto(f"{live_server.url}/people/P-HILDA/")
    _fits(phone, "person-page-self")
    phone.goto(f"{live_server.url}/people/P-SAM/")
    _fits(phone, "person-page")

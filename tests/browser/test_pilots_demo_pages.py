"""The demo's pilots as a portfolio leader sees them: the list, a scaled pilot's history and
the approved pilot whose self-containment is low (screenshots to look at)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from pilots.models import Pilot, PilotStatus
from tests.browser.support import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_pilots_read_well(live_server, page):
    call_command("seed_demo", "--people", "120", "--pilots", "8", "--months", "9")
    leader = User.objects.get(username="leader")
    leader.set_password("leader-pw-123!")
    leader.save()
    login(page, live_server, "leader")
    page.goto(f"{live_server.url}/pilots/")
    assert page.locator("#pilots tbody tr").count() == 8
    screenshot(page, "pilots-demo-list")
    scaled = Pilot.objects.get(status=PilotStatus.SCALED)
    page.goto(f"{live_server.url}/pilots/{scaled.pk}/")
    assert "Spread to:" in page.inner_text("#history")
    screenshot(page, "pilots-demo-scaled")
    approved = Pilot.objects.get(status=PilotStatus.APPROVED)
    page.goto(f"{live_server.url}/pilots/{approved.pk}/")
    assert "Competing initiatives take 45 %" in page.inner_text("#self-containment")
    screenshot(page, "pilots-demo-low-containment")

"""In Chromium, on the demo organisation: the sponsor reads the effect against the comparison
group on the pilot's review page (the event-study chart draws, the pre-trend note is there),
and a member answers a follow-up on a phone. Screenshots at 1280 and 390 px go to
$SCREENSHOT_DIR."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from demo.steps import DemoContext, run_demo
from evidence import followups
from evidence.models import FollowUpAnswer, FollowUpInvitation
from pilots.models import Pilot
from tests.browser.support import SCREENSHOTS, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    run_demo(DemoContext(seed=42, people=200, pilots=8, months=9))
    for username in ("sponsor", "hradmin", "leader"):
        user = User.objects.get(username=username)
        user.set_password(f"{username}-pw-123!")
        user.save()


def section(page, selector: str, name: str) -> None:
    """A screenshot of one section (the full page is long), when SCREENSHOT_DIR is set."""
    if SCREENSHOTS:
        page.locator(selector).screenshot(path=f"{SCREENSHOTS}/{name}.png")


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, width


def test_the_sponsor_reads_the_effect_beside_the_decision(live_server, page, phone, demo):
    pilot = Pilot.objects.get(name="Service desk redefined")
    for view, name in ((page, "1280"), (phone, "390")):
        login(view, live_server, "sponsor")
        view.goto(f"{live_server.url}{reverse('pilots:detail', args=[pilot.pk])}")
        view.wait_for_selector("#evidence .js-plotly-plot svg.main-svg")
        assert view.locator("#decision-effect [data-decision-effect]").count() == 2
        assert "does not prove" in view.locator("[data-pretrend-note]").inner_text()
        estimate = view.locator('[data-effect="hours_freed"] [data-estimate]').inner_text()
        assert estimate.startswith("+")
        assert view.locator('[data-effect="hours_freed"] [data-money]').count() == 1
        assert view.console_errors == []
        if name == "390":
            no_sideways_scroll(view)
        screenshot(view, f"evidence-review-{name}")
        section(view, "#evidence", f"evidence-section-{name}")
        section(view, "#lifecycle", f"evidence-decision-{name}")


def test_a_member_answers_a_follow_up_on_a_phone(live_server, phone, demo):
    invitation = FollowUpInvitation.objects.filter(used=False, emailed_at__isnull=False).first()
    token = followups.invitation_issue(invitation, timezone.now())
    phone.goto(f"{live_server.url}{reverse('evidence:answer', args=[token])}")
    no_sideways_scroll(phone)
    screenshot(phone, "evidence-followup-form-390")
    phone.fill("#id_worked_best", "Weekly problem hunts — they stuck. 🙂")
    phone.fill("#id_keep", "The problem hunt")
    phone.fill("#id_in_the_way", "Month-end reporting")
    phone.locator("label.scale-option", has_text="9").first.tap()
    before = FollowUpAnswer.objects.count()
    phone.get_by_role("button", name="Send my answers").tap()
    phone.wait_for_selector("[data-thanks]")
    screenshot(phone, "evidence-followup-thanks-390")
    answer = FollowUpAnswer.objects.exclude(worked_best__in=[""]).filter(still_redefined=9)
    assert FollowUpAnswer.objects.count() == before + 1
    assert answer.filter(person__isnull=True, worked_best__contains="🙂").exists()
    phone.goto(f"{live_server.url}{reverse('evidence:answer', args=[token])}")
    assert phone.locator("[data-refused=used_link]").count() == 1


def test_screens_of_the_follow_ups_the_portfolio_and_the_invitations(
    live_server, page, phone, demo
):
    scaled = Pilot.objects.get(name="Claims desk redefined")
    for view, name in ((page, "1280"), (phone, "390")):
        login(view, live_server, "sponsor")
        view.goto(f"{live_server.url}{reverse('pilots:detail', args=[scaled.pk])}#followups")
        view.wait_for_selector("#followups .js-plotly-plot svg.main-svg")
        assert view.locator("[data-reading]").count() == 3
        if name == "390":
            no_sideways_scroll(view)
        section(view, "#followups", f"evidence-followups-{name}")
        view.context.clear_cookies()
        login(view, live_server, "leader")
        view.goto(f"{live_server.url}{reverse('portfolio:dashboard')}")
        assert view.locator("[data-effect-estimate]").count() >= 1
        screenshot(view, f"evidence-portfolio-{name}")
        view.context.clear_cookies()
        login(view, live_server, "hradmin")
        view.goto(f"{live_server.url}{reverse('evidence:invitations')}")
        assert view.locator("[data-rate]").count() == 3
        screenshot(view, f"evidence-invitations-{name}")

"""In Chromium, on the demo organisation: the goals tree and a goal page (desktop and a
390 px phone), a department head adding a sub-goal, a supervisor recording the week with
one tap on a phone, and the portfolio's strategic-share charts. Screenshots go to
$SCREENSHOT_DIR."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from goals.models import Goal
from pilots.models import Pilot
from tests.browser.support import login, screenshot
from weekly.models import WeeklySplit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--people", "120", "--pilots", "8", "--months", "9")
    for username in ("leader", "sponsor", "supervisor", "member"):
        user = User.objects.get(username=username)
        user.set_password(f"{username}-pw-123!")
        user.save()


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_goals_tree_and_a_goal_page_read_well_on_desktop_and_phone(
    live_server, page, phone, demo
):
    login(page, live_server, "member")
    page.goto(f"{live_server.url}/goals/")
    rows = page.locator("#goal-tree .goal-row")
    assert rows.count() == Goal.objects.count() == 7
    assert rows.first.get_attribute("data-depth") == "0"
    screenshot(page, "goals-tree-1280")
    org = Goal.objects.get(parent=None)
    page.click(f"#goal-tree [data-goal='{org.pk}'] .goal-title")
    assert page.locator("#children li").count() == 2
    # The member sees the pilot they are in, and is told of the other one.
    assert page.locator("#pilots tbody tr").count() == 1
    assert "And 1 pilot you cannot see." in page.inner_text("#pilots")
    assert not page.console_errors

    login(phone, live_server, "leader")
    phone.goto(f"{live_server.url}/goals/")
    assert fits(phone, 390)
    screenshot(phone, "goals-tree-390")
    phone.goto(f"{live_server.url}/goals/{org.pk}/")
    assert phone.locator("#pilots tbody tr").count() == 2  # triage and the returns desk
    assert phone.locator("#pilots [data-value]").first.inner_text() != "0"
    assert fits(phone, 390)
    screenshot(phone, "goal-page-390")
    page.context.clear_cookies()
    login(page, live_server, "leader")
    page.goto(f"{live_server.url}/goals/{org.pk}/")
    screenshot(page, "goal-page-1280")


def test_a_department_head_adds_a_sub_goal(live_server, page, demo):
    login(page, live_server, "sponsor")
    claims = Goal.objects.get(title="Claims handled faster")
    page.goto(f"{live_server.url}/goals/{claims.pk}/")
    page.click("#add-subgoal")
    page.fill("#id_title", "Fewer claims reopened")
    page.select_option("#id_level", "team")
    team = claims.org_unit.children.order_by("name").first()
    page.select_option("#id_org_unit", value=str(team.pk))  # labelled by its path
    page.fill("input[name=owner_search]", "E00002")
    page.fill("#id_period_start", claims.period_start.isoformat())
    page.fill("#id_period_end", claims.period_end.isoformat())
    page.select_option("#id_metric", label="Cases closed per week")
    page.fill("#id_start_value", "30")
    page.fill("#id_target_value", "40")
    screenshot(page, "goal-form-1280")
    page.click("#goal-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Goal saved." in page.inner_text(".messages")
    goal = Goal.objects.get(title="Fewer claims reopened")
    assert goal.parent == claims and goal.owner.external_id == "E00002"
    page.goto(f"{live_server.url}/goals/")
    assert page.locator(f"[data-goal='{goal.pk}']").get_attribute("data-depth") == "2"


def test_a_supervisor_records_the_week_with_one_tap_on_a_phone(live_server, phone, demo):
    login(phone, live_server, "supervisor")
    phone.goto(f"{live_server.url}/coaching/")
    card = phone.locator("#weekly-split")
    assert card.is_visible() and fits(phone, 390)
    box = card.locator("button[value='75']").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 60  # a thumb-sized target
    screenshot(phone, "weekly-card-390")
    card.locator("button[value='75']").tap()
    phone.wait_for_load_state("networkidle")
    assert "75 % strategic, 25 % detail" in phone.inner_text(".messages")
    assert phone.url.endswith("/coaching/")
    supervisor = User.objects.get(username="supervisor").person
    assert WeeklySplit.objects.filter(person=supervisor).latest("week").strategic_percent == 75
    assert phone.locator("#weekly-split button.chosen").get_attribute("value") == "75"
    phone.goto(f"{live_server.url}/weekly/")
    assert phone.locator(".split-bars rect.bar").count() >= 10 and fits(phone, 390)
    screenshot(phone, "weekly-page-390")
    assert not phone.console_errors


def test_the_portfolio_charts_the_strategic_share_per_approach_and_pilot(live_server, page, demo):
    login(page, live_server, "leader")
    page.goto(f"{live_server.url}/portfolio/")
    chart = page.locator("#plot-strategic-share")
    chart.locator("svg.main-svg").first.wait_for()
    assert page.locator("[data-table='strategic-share'] tbody tr").count() > 10
    chart.scroll_into_view_if_needed()
    screenshot(page, "portfolio-strategic-share-1280")
    triage = Pilot.objects.get(name="Same-day claims triage")
    page.goto(f"{live_server.url}/portfolio/pilots/{triage.pk}/")
    page.locator("#plot-strategic-share svg.main-svg").first.wait_for()
    csv = page.request.get(
        f"{live_server.url}/portfolio/pilots/{triage.pk}/charts/strategic-share.csv"
    )
    assert csv.ok and csv.text().startswith("week,strategic_percent_mean,supervisors_recorded")
    assert not page.console_errors

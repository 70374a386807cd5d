"""In Chromium with htmx: actions are added, corrected and removed without reloading the page;
a stale second tab keeps what was typed and says why."""

import pytest
from django.urls import reverse

from coaching import services
from tests.browser.support import htmx_click, login, screenshot
from tests.coaching.conftest import make_pilot, make_workgroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cycle(bob, carol, erin):
    workgroup = make_workgroup(make_pilot(bob, started_days_ago=10), carol, members=[erin])
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    services.cycle_save_data(cycle=cycle, by=carol, data_sought="Queue age")
    services.cycle_complete_stage(cycle=cycle, by=carol)
    return cycle


def test_actions_change_in_place_and_a_stale_tab_keeps_its_text(live_server, phone, cycle):
    page = phone
    login(page, live_server, "carol")
    url = f"{live_server.url}{reverse('coaching:cycle', args=[cycle.pk])}"
    page.goto(url)
    page.evaluate("window.notReloaded = true")
    page.fill("#id_description", "Map where claims wait")
    htmx_click(page, page.get_by_role("button", name="Add action"))
    assert "Action added." in page.inner_text("#flash")
    item = page.locator("ul.actions li").first
    item.locator("summary").click()
    item.locator("input[name$=-description]").fill("Map where claims wait longest")
    htmx_click(page, item.get_by_role("button", name="Save action"))
    assert "Action saved." in page.inner_text("#flash")
    assert "Map where claims wait longest" in page.inner_text("ul.actions")
    assert page.evaluate("window.notReloaded") is True  # htmx swapped a part, no reload

    stale = page.context.new_page()
    stale.goto(url)
    htmx_click(page, page.get_by_role("button", name="Done with actions: reflect"))
    assert page.locator("#stage-reflection").get_attribute("data-state") == "current"
    stale.fill("#id_description", "An idea typed in the other tab")
    htmx_click(stale, stale.get_by_role("button", name="Add action"))
    assert "only possible during the action stage" in stale.inner_text("[data-refused]")
    assert stale.input_value("[data-refused] textarea") == "An idea typed in the other tab"
    # The whole cycle is shown as it is now, not only the part the form targeted.
    assert stale.locator("#stage-reflection").get_attribute("data-state") == "current"
    screenshot(stale, "cycle-stale-tab-refused-390")
    assert page.console_errors == []

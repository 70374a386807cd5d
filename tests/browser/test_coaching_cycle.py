"""On a phone, a supervisor logs a whole coaching cycle (a task action, a relationship
action, an opportunity) from My groups, then finds it on the workgroup's timeline."""

import pytest

from tests.browser.support import htmx_click, login, screenshot
from tests.coaching.conftest import make_pilot, make_workgroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _save_stage(page, stage: str, button: str) -> None:
    htmx_click(page, page.locator(f"#stage-{stage}").get_by_role("button", name=button))


def test_a_supervisor_logs_a_full_cycle_on_a_phone(live_server, phone, bob, carol, erin):
    page = phone
    workgroup = make_workgroup(make_pilot(bob, started_days_ago=20), carol, members=[erin])
    login(page, live_server, "carol")
    page.goto(f"{live_server.url}/coaching/")
    assert "Overdue · 20 days" in page.inner_text(f"#group-{workgroup.pk}")
    screenshot(page, "coaching-my-groups-phone")

    page.get_by_role("button", name="Start a cycle").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_data_sought", "How long claims wait between triage and first call")
    page.fill("#id_context", "Backlog doubled after the October storm.")
    screenshot(page, "coaching-cycle-data-phone")
    _save_stage(page, "data", "Save and move to action")

    page.fill("#id_description", "Map where claims wait longest")
    page.check("input[name=kind][value=task]")
    htmx_click(page, page.get_by_role("button", name="Add action"))
    page.fill("#id_description", "Weekly coffee with the billing team")
    page.check("input[name=kind][value=relationship]")
    page.select_option("#id_owner", label="Erin")
    htmx_click(page, page.get_by_role("button", name="Add action"))

    page.locator("#add-opportunity summary").click()
    page.fill("#id_title", "Billing re-keys every claim by hand")
    page.fill("#id_estimated_value", "18000")
    page.fill("#id_estimated_efficiency", "120")
    htmx_click(page, page.get_by_role("button", name="Save opportunity"))
    screenshot(page, "coaching-cycle-action-phone")
    htmx_click(page, page.get_by_role("button", name="Done with actions: reflect"))

    page.fill("#id_learned", "Most waiting happens at the billing handoff, not in triage.")
    page.fill("#id_confidence", "7")
    _save_stage(page, "reflection", "Save and move to adaptation")
    page.fill("#id_changes_next", "Billing joins the Monday triage huddle.")
    _save_stage(page, "adaptation", "Save and complete the cycle")
    assert page.locator("[data-stage]").inner_text() == "Completed"
    assert page.locator("[data-state=done]").count() == 4
    screenshot(page, "coaching-cycle-completed-phone")

    page.get_by_role("link", name="Triage timeline").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("tr[data-cycle='1']")
    assert "1 task · 1 relationship" in row.inner_text()
    assert "Billing re-keys every claim by hand" in page.inner_text("#opportunities")
    screenshot(page, "coaching-timeline-phone")

    page.goto(f"{live_server.url}/coaching/")
    assert "On cadence" in page.inner_text(f"#group-{workgroup.pk}")
    assert page.console_errors == []
    # Usable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

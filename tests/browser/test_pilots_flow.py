"""A leader sets up a pilot in the browser, adds a workgroup and a tie; the supervisor signs
the charter in their own session; the sponsor confirms the assurance, another portfolio
leader approves, and the sponsor starts."""

import pytest

from pilots.models import Pilot
from tests.browser.support import fill_pilot_form, login, pick_person, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("networkidle")


def test_a_pilot_goes_from_draft_to_running(live_server, browser, page, alice, bob, carol, erin):
    login(page, live_server, "bob")
    page.goto(f"{live_server.url}/pilots/")
    screenshot(page, "pilots-empty-list")
    page.click("#new-pilot")
    _submit(page, "Create draft pilot")  # empty: inline messages
    assert page.locator(".errorlist").count() >= 4
    screenshot(page, "pilots-form-errors")
    fill_pilot_form(page, "Same-day claims triage")
    _submit(page, "Create draft pilot")
    pilot = Pilot.objects.get()
    assert page.url.endswith(f"/pilots/{pilot.pk}/")

    # Edit without retyping: the dates come back as they were saved.
    page.get_by_role("link", name="Edit pilot").click()
    assert page.input_value("#id_planned_start") == "2026-12-01"
    _submit(page, "Save")
    assert "Pilot saved." in page.inner_text("body")
    screenshot(page, "pilots-draft-checklist")

    page.locator("#add-workgroup summary").click()
    page.fill("#id_name", "Triage")
    pick_person(page, "#id_supervisor", "car", "Carol (P-CAROL)")
    _submit(page, "Add workgroup")
    group = pilot.workgroups.get()
    card = page.locator(f"#workgroup-{group.pk}")
    card.locator("summary", has_text="Add a member").click()
    pick_person(page, f"#member-{group.pk}-person", "erin", "Erin (P-ERIN)")
    _submit(page, "Add member")
    card = page.locator(f"#workgroup-{group.pk}")
    card.locator("summary", has_text="Add a member").click()
    page.fill(f"#id_tie{group.pk}-counterpart", "Finance")
    page.select_option(f"#id_tie{group.pk}-frequency", label="Weekly")
    page.select_option(f"#id_tie{group.pk}-strength", label="Moderate")
    _submit(page, "Record tie")
    assert "Finance · weekly, moderate" in page.inner_text(f"#workgroup-{group.pk}")
    screenshot(page, "pilots-draft-with-workgroup")

    supervisor = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(supervisor, live_server, "carol")
    supervisor.goto(f"{live_server.url}/pilots/{pilot.pk}/")
    supervisor.get_by_role("link", name="Read and sign your charter").click()
    supervisor.wait_for_load_state("networkidle")
    for name in ["open_minded", "risk_tolerant", "customer_commitment"]:
        supervisor.check(f"#id_{name}")
    screenshot(supervisor, "pilots-charter-phone")
    _submit(supervisor, "Sign the charter")
    assert "Charter signed" in supervisor.inner_text("body")
    supervisor.context.close()

    page.reload()
    _submit(page, "Confirm the assurance for Carol")
    # The sponsor does not approve their own pilot: another portfolio leader does.
    assert page.get_by_role("button", name="Approve").count() == 0
    approver = browser.new_context().new_page()
    login(approver, live_server, "alice")
    approver.goto(f"{live_server.url}/pilots/{pilot.pk}/")
    # Self-containment 40/100: approval asks for the acknowledgement first.
    _submit(approver, "Approve")
    assert approver.locator("#status").get_attribute("data-status") == "draft"
    approver.check("[data-acknowledge]")
    _submit(approver, "Approve")
    assert approver.locator("#status").get_attribute("data-status") == "approved"
    approver.context.close()

    page.reload()
    assert page.locator("#status").get_attribute("data-status") == "approved"
    assert page.locator('[data-check="charters"]').get_attribute("data-ok") == "yes"
    screenshot(page, "pilots-approved")
    _submit(page, "Start the pilot")
    assert page.locator("#status").get_attribute("data-status") == "running"
    assert page.get_by_role("link", name="Edit pilot").count() == 0
    screenshot(page, "pilots-running")
    page.locator("summary", has_text="Begin review").click()
    assert page.locator("[data-horizon-warning]").first.is_visible()
    page.check('[data-confirm="review"]')
    page.locator('form[data-move="review"] button').click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#status").get_attribute("data-status") == "reviewing"
    page.check("#id_decision_1")  # adapt and continue
    page.fill("#id_lessons_learned", "Triage works; the hand-off to Finance needs a rhythm.")
    _submit(page, "Record the decision")
    assert page.locator("#status").get_attribute("data-status") == "running"
    screenshot(page, "pilots-decided")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "pilots-decided-phone")
    page.goto(f"{live_server.url}/pilots/")
    screenshot(page, "pilots-list")

"""Steps shared by browser tests."""

import os

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR", "")


def login(page, live_server, username: str, password: str | None = None) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or f"{username}-pw-123!")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> None:
    """Save a screenshot when SCREENSHOT_DIR is set, to look at what users see."""
    if SCREENSHOTS:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def pick_person(page, box: str, typed: str, label: str) -> None:
    """Type into a person picker (people/forms.py) and choose the suggestion `label`."""
    page.locator(box).press_sequentially(typed, delay=40)
    page.get_by_role("option", name=label, exact=True).click()
    assert page.locator(box).input_value() == label


def fill_pilot_form(page, name: str) -> None:
    """Fill the pilot form's required fields (everything but the sponsor)."""
    page.fill("#id_name", name)
    page.select_option("#id_approach", "work_redefinition")
    page.fill("#id_vision", "Everyone finds and fixes what slows customers down.")
    page.fill("#id_pain_point", "Claims wait three weeks for a first look.")
    page.fill("#id_demonstration_project", "Triage every claim on the day it arrives.")
    page.fill("#id_planned_start", "2026-12-01")
    page.fill("#id_review_date", "2027-06-01")


# A function, not an expression: Playwright evaluates a bare expression with eval(), which
# the pages' CSP (script-src 'self', no 'unsafe-eval') refuses.
SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


def htmx_click(page, locator) -> None:
    """Click a button whose form htmx posts, and wait until its answer is swapped in
    (`wait_for_load_state` returns at once: the page itself does not load again)."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        locator.click()
    page.wait_for_function(SETTLED)

"""Browser: an HR admin imports a CSV and watches the progress bar reach 100 %; a supervisor
sees their protected metrics with the chart drawn."""

# The metrics fixtures are imported by name so pytest finds them here; parameters reuse them.
# ruff: noqa: F401, F811

import datetime as dt

import pytest
from django.utils import timezone

from metrics.alerts import alerts_create_below_baseline
from metrics.baselines import baselines_freeze_for_start
from tests.browser.support import login, screenshot
from tests.metrics.conftest import cases, handling, mark_running, pilot, start_of, weekly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_hr_admin_uploads_a_csv_and_sees_the_progress_reach_the_end(
    page,
    live_server,
    hilda,
    cases,
    carol,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    day = dt.date(2025, 1, 6)
    lines = ["metric,subject_type,subject_id,period_start,period_end,value,source"] + [
        f"cases_closed,person,P-CAROL,{day + dt.timedelta(weeks=i)},"
        f"{day + dt.timedelta(weeks=i, days=6)},{20 + i % 7},hris"
        for i in range(1500)
    ]
    upload = tmp_path / "observations.csv"
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")

    login(page, live_server, "hilda")
    page.goto(f"{live_server.url}/metrics/imports/")
    page.set_input_files("input[type=file]", str(upload))
    page.click("button.primary")
    page.wait_for_selector("[data-percent]:has-text('100 %')", timeout=20_000)
    assert page.get_attribute("[data-progress]", "aria-valuenow") == "100"
    assert page.inner_text("[data-created]") == "1500"
    screenshot(page, "metrics_import_done")
    assert not page.console_errors


def test_a_supervisor_sees_their_protected_metrics(
    page,
    live_server,
    pilot,
    cases,
    handling,
    carol,
    dan,
):
    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday(), weeks=8)
    for person in (carol.person, dan.person):
        weekly(cases, person, ["40", "42", "38", "41", "39", "40"], start - dt.timedelta(weeks=6))
        weekly(handling, person, ["14"] * 6, start - dt.timedelta(weeks=6))
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot, start))
    mark_running(pilot, start)
    weekly(cases, carol.person, ["35", "33", "30", "31", "29", "30", "28", "27"], start)
    weekly(handling, carol.person, ["13", "12", "12", "11", "12", "12", "11", "12"], start)
    alerts_create_below_baseline()

    login(page, live_server, "carol")
    page.goto(f"{live_server.url}/metrics/")
    card = page.locator("[data-metric=cases_closed]")
    assert "40.00 cases" in card.locator("[data-baseline]").inner_text()
    assert "40.00 cases" in card.locator("[data-protected]").inner_text()
    assert "baseline used" in card.locator("[data-protected]").inner_text()
    assert card.locator("[data-alert]").is_visible()
    page.wait_for_selector("[data-metric=cases_closed] .metric-chart .main-svg")
    assert "HR sees your protected value" in page.inner_text("[data-hr-sentence]")
    screenshot(page, "metrics_mine")
    assert not page.console_errors

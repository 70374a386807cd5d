"""Each role logs in through a real browser and lands on a home page that sends it its way."""

import pytest

from tests.browser.support import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_TILES = {
    "alice": ["Portfolio", "Pilots you sponsor"],
    "bob": ["Pilots you sponsor"],
    "carol": ["My groups", "My protected metrics"],
    "erin": ["My pilot"],
    "hilda": ["People", "Metric imports", "API clients"],
}


def test_each_role_sees_where_to_go_after_logging_in(
    live_server, page, alice, bob, carol, erin, hilda
):
    for username, tiles in HOME_TILES.items():
        login(page, live_server, username)
        headings = page.locator(".tile h2").all_inner_texts()
        assert headings == tiles, username
        screenshot(page, f"home-{username}")
        page.click("text=Log out")
        page.wait_for_url("**/accounts/login/")
    assert page.console_errors == []


def test_a_wrong_password_is_refused_with_a_message(live_server, page, carol):
    login(page, live_server, "carol", "not-her-password")
    assert "didn't match" in page.inner_text("main")

"""Brute force as an attacker would try it against the live server, from real source
addresses (127.x.y.z): spreading guesses for one account over many addresses, spraying many
accounts from one address, forging X-Forwarded-For, and logging in as oneself between guesses
to wipe the count. Every one of them ends at the lockout page (HTTP 429)."""

import pytest
from django.conf import settings

from tests.security.sources import SourceBrowser

pytestmark = pytest.mark.django_db(transaction=True)

LOCKED = 429


def expected(n: int, limit: int) -> int:
    """The failure that reaches the limit is itself answered with the lockout page."""
    return LOCKED if n == limit - 1 else 200


def test_guesses_for_one_account_spread_over_many_addresses_lock_the_account(
    live_server, carol, dan
):
    for n in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        # One guess per address: far below the per-address and the per-pair limits.
        status = SourceBrowser(live_server, f"127.0.1.{n + 1}").login("carol", "guess")
        assert status == expected(n, settings.LOGIN_FAILURES_PER_ACCOUNT)
    fresh = SourceBrowser(live_server, "127.0.2.1")
    assert fresh.login("carol", "carol-pw-123!") == LOCKED
    # Someone else from that address is not affected.
    assert SourceBrowser(live_server, "127.0.2.1").login("dan", "dan-pw-123!") == 302


def test_guesses_over_many_accounts_from_one_address_lock_the_address(live_server, dan):
    sprayer = SourceBrowser(live_server, "127.0.3.1")
    for n in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        status = sprayer.login(f"user{n}", "Winter2026!")
        assert status == expected(n, settings.LOGIN_FAILURES_PER_ADDRESS)
    # Even a right password from that address is refused while the lock lasts...
    status, page = SourceBrowser(live_server, "127.0.3.1").post_form(
        "/accounts/login/", {"username": "dan", "password": "dan-pw-123!"}
    )
    assert status == LOCKED
    assert "Address locked" in page and "from your address, for any" in page
    # ...while dan from his own address logs in.
    assert SourceBrowser(live_server, "127.0.3.2").login("dan", "dan-pw-123!") == 302


def test_a_forged_x_forwarded_for_does_not_give_each_guess_a_new_address(live_server, carol):
    attacker = "127.0.4.1"
    for n in range(settings.AXES_FAILURE_LIMIT):
        forged = {"X-Forwarded-For": f"198.51.100.{n + 1}"}
        status = SourceBrowser(live_server, attacker).login("carol", "guess", forged)
        assert status == expected(n, settings.AXES_FAILURE_LIMIT)
    forged = {"X-Forwarded-For": "198.51.100.200"}
    assert SourceBrowser(live_server, attacker).login("carol", "carol-pw-123!", forged) == LOCKED


def test_behind_a_trusted_proxy_each_client_behind_it_is_counted_apart(
    live_server, carol, settings
):
    settings.TRUSTED_PROXIES = ["127.0.5.1"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        proxied = {"X-Forwarded-For": "203.0.113.7"}
        status = SourceBrowser(live_server, "127.0.5.1").login("carol", "guess", proxied)
        assert status == expected(n, settings.AXES_FAILURE_LIMIT)
    # The guesser (203.0.113.7 behind the proxy) is locked; carol elsewhere is not.
    locked = {"X-Forwarded-For": "203.0.113.7"}
    assert SourceBrowser(live_server, "127.0.5.1").login("carol", "x", locked) == LOCKED
    other = {"X-Forwarded-For": "203.0.113.8"}
    assert SourceBrowser(live_server, "127.0.5.1").login("carol", "carol-pw-123!", other) == 302


def test_a_client_that_is_not_the_proxy_cannot_claim_an_address_through_it(
    live_server, carol, settings
):
    settings.TRUSTED_PROXIES = ["127.0.5.1"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        forged = {"X-Forwarded-For": f"203.0.113.{n + 1}"}
        status = SourceBrowser(live_server, "127.0.6.1").login("carol", "guess", forged)
        assert status == expected(n, settings.AXES_FAILURE_LIMIT)
    forged = {"X-Forwarded-For": "203.0.113.99"}
    assert SourceBrowser(live_server, "127.0.6.1").login("carol", "x", forged) == LOCKED


def test_logging_in_as_oneself_between_guesses_does_not_wipe_the_address_count(
    live_server, mallory
):
    insider = "127.0.7.1"
    for n in range(settings.LOGIN_FAILURES_PER_ADDRESS - 1):
        assert SourceBrowser(live_server, insider).login(f"colleague{n}", "guess") == 200
    assert SourceBrowser(live_server, insider).login("mallory", "mallory-pw-123!") == 302
    assert SourceBrowser(live_server, insider).login("colleague-last", "guess") == LOCKED
    assert SourceBrowser(live_server, insider).login("mallory", "mallory-pw-123!") == LOCKED


def test_spelling_an_account_differently_does_not_start_a_new_count(live_server, carol):
    spellings = ["carol", "Carol", " carol", "CAROL ", "ｃａｒｏｌ"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        username = spellings[n % len(spellings)]
        status = SourceBrowser(live_server, "127.0.8.1").login(username, "guess")
        assert status == expected(n, settings.AXES_FAILURE_LIMIT)
    assert SourceBrowser(live_server, "127.0.8.1").login("carol", "carol-pw-123!") == LOCKED

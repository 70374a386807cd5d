"""Login throttling (django-axes): ten wrong passwords lock that account from that address,
and the page says so plainly instead of repeating "wrong password". The account-wide and
address-wide locks are attacked from real addresses in test_login_lockouts.py."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"


def _login(client, username: str, password: str, ip: str = ATTACKER):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_the_limit_is_ten_wrong_passwords():
    assert settings.AXES_FAILURE_LIMIT == 10
    parameters = settings.AXES_LOCKOUT_PARAMETERS
    assert parameters == ["username", "ip_address", ["username", "ip_address"]]
    assert (settings.LOGIN_FAILURES_PER_ACCOUNT, settings.LOGIN_FAILURES_PER_ADDRESS) == (20, 30)


def test_wrong_passwords_below_the_limit_only_say_the_password_is_wrong(client, carol):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "carol", "nope")
        assert response.status_code == 200
        assert "password didn" in response.content.decode()


def test_after_ten_wrong_passwords_the_next_attempt_is_locked_out_with_a_clear_page(client, carol):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "carol", "nope")
    eleventh = _login(client, "carol", "still-wrong")
    assert eleventh.status_code == 429
    page = eleventh.content.decode()
    assert "Account locked" in page
    assert "after 10 wrong passwords" in page
    assert "<strong>carol</strong>" in page
    assert "15 minutes" in page


def test_a_locked_account_cannot_log_in_even_with_the_right_password(client, carol):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "carol", "nope")
    response = _login(client, "carol", "carol-pw-123!")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_only_for_that_account_from_that_address(client, carol, dan):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "carol", "nope")
    assert _login(client, "dan", "dan-pw-123!").status_code == 302
    client.logout()
    assert _login(client, "carol", "carol-pw-123!", ip="198.51.100.7").status_code == 302

"""Security headers on real responses: CSP, framing, sniffing, referrer, and in production
mode HSTS and cookies that only travel over HTTPS."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def login_page(client):
    return client.get("/accounts/login/")


def _csp(response) -> dict[str, str]:
    directives = [d.strip() for d in response["Content-Security-Policy"].split(";") if d.strip()]
    return {d.split()[0]: d.split(None, 1)[1] if " " in d else "" for d in directives}


def test_every_page_sends_a_content_security_policy_that_allows_only_our_scripts(login_page):
    csp = _csp(login_page)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"  # no inline script, no CDN
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["form-action"] == "'self'"


def test_pages_refuse_framing_and_content_sniffing_and_keep_referrers_on_site(login_page):
    assert login_page["X-Frame-Options"] == "DENY"
    assert login_page["X-Content-Type-Options"] == "nosniff"
    assert login_page["Referrer-Policy"] == "same-origin"
    assert login_page["Cross-Origin-Opener-Policy"] == "same-origin"


def test_api_responses_carry_the_same_headers(api, alice):
    api.force_login(alice)
    response = api.get("/api/schema/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_the_session_cookie_is_not_readable_by_scripts(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "alice-pw-123!"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


def test_in_production_mode_cookies_are_secure_and_hsts_is_sent(settings, alice):
    # The same values config/settings.py sets when DEBUG is false (checked in a subprocess in
    # test_production_settings.py); a fresh Client builds its middleware with them.
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client = Client()
    page = client.get("/accounts/login/", secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page.cookies["csrftoken"]["secure"]
    logged_in = client.post(
        "/accounts/login/",
        {"username": "alice", "password": "alice-pw-123!"},
        secure=True,
    )
    assert logged_in.cookies["sessionid"]["secure"]

"""In Chromium, signing in with the organisation's identity provider through the real login
redirect: Redefine's login page, the local provider's form (tests/oidc_provider.py, which
enforces PKCE), and back to Redefine signed in. Requests to anything but this machine are
aborted (the provider's page names a CDN stylesheet). Screenshots go to $SCREENSHOT_DIR."""

from urllib.parse import urlsplit

import pytest

from accounts.models import OidcIdentity
from people.models import Person
from tests.browser.support import screenshot
from tests.oidc_provider import running_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider():
    with running_provider() as local:
        yield local


@pytest.fixture
def sso(provider, settings):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider


def local_only(page):
    def route(request_route):
        host = urlsplit(request_route.request.url).hostname
        if host in ("localhost", "127.0.0.1"):
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)


def test_a_person_signs_in_with_the_identity_provider(live_server, page, phone, sso, org):
    person = Person.objects.create(
        external_id="E-GRACE", full_name="Grace Hopper", email="grace@example.com", org_unit=org
    )
    sso.add_user("okta|grace", email="grace@example.com", email_verified=True, name="Grace")
    for browser_page in (page, phone):
        local_only(browser_page)
    phone.goto(f"{live_server.url}/accounts/login/")
    screenshot(phone, "login-sso-390")
    page.goto(f"{live_server.url}/pilots/")  # a page that needs a login, to come back to
    assert "/accounts/login/" in page.url
    screenshot(page, "login-sso-1280")
    page.click("#sso-login")
    page.wait_for_url(f"{sso.url}/oauth2/authorize*")
    assert "code_challenge_method=S256" in page.url
    page.get_by_placeholder("sub").fill("okta|grace")
    verified = sso.enforcer.verified
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/pilots/")
    assert "Log out E-GRACE" in page.inner_text(".topbar")
    assert sso.enforcer.verified == verified + 1
    identity = OidcIdentity.objects.get()
    assert identity.subject == "okta|grace" and identity.person == person


def test_an_unknown_person_lands_on_a_clear_page(live_server, page, sso, org):
    local_only(page)
    sso.add_user("okta|stranger", email="stranger@example.com", email_verified=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("#sso-login")
    page.get_by_placeholder("sub").fill("okta|stranger")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/accounts/oidc/callback/*")
    assert "not known to Redefine" in page.inner_text("#sign-in-problem")
    screenshot(page, "sign-in-unknown-1280")
    assert not Person.objects.filter(email="stranger@example.com").exists()

"""Signing in with the organisation's OpenID provider, end to end against a local provider
(tests/oidc_provider.py): the real authorization redirect with PKCE, the provider's form,
the code exchange and ID-token checks, and who may come in."""

import socket
import time
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import OidcIdentity
from people.models import Person

User = get_user_model()


def start(client, next_url: str = "") -> str:
    response = client.get(
        "/accounts/oidc/login/" + (f"?next={quote(next_url)}" if next_url else "")
    )
    assert response.status_code == 302, response.content
    return response["Location"]


def authorize(url: str, sub: str | None, deny: bool = False) -> str:
    data = {"action": "deny"} if deny else {"sub": sub}
    response = httpx.post(url, data=data, follow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    return response.headers["location"]


def finish(client, location: str):
    parts = urlsplit(location)
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client, provider, sub: str, next_url: str = ""):
    return finish(client, authorize(start(client, next_url), sub))


@pytest.fixture
def ada(db):
    return Person.objects.create(
        external_id="E-ADA", full_name="Ada Lovelace", email="Ada@Example.com"
    )


def signed_in_user(client):
    response = client.get("/")
    return response.wsgi_request.user


def test_the_redirect_carries_a_pkce_challenge_state_and_nonce(client, sso):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43  # base64url of a SHA-256
    assert query["state"][0] and query["nonce"][0]
    assert query["scope"][0].split() == ["openid", "email", "profile"]
    assert "code_verifier" not in query  # the verifier stays in the server-side session


def test_a_provisioned_person_signs_in_with_a_verified_email_and_is_linked_by_subject(
    client, sso, ada
):
    sso.add_user("sub-ada-1", email="ada@example.com", email_verified=True)
    verified = sso.enforcer.verified
    response = sign_in(client, sso, "sub-ada-1")
    assert response.status_code == 302 and response["Location"] == "/"
    user = signed_in_user(client)
    ada.refresh_from_db()
    assert user.is_authenticated and user == ada.user
    assert not user.has_usable_password()  # the account is for single sign-on only
    identity = OidcIdentity.objects.get()
    assert (identity.issuer, identity.subject, identity.person) == (sso.url, "sub-ada-1", ada)
    assert identity.matched_by == "verified_email" and identity.last_login_at
    assert sso.enforcer.verified == verified + 1  # the provider checked the PKCE verifier


def test_later_sign_ins_match_the_subject_even_when_the_email_changed(client, sso, ada):
    sso.add_user("sub-ada-2", email="ada@example.com", email_verified=True)
    sign_in(client, sso, "sub-ada-2")
    client.logout()
    sso.add_user("sub-ada-2", email="ada.king@elsewhere.example", email_verified=False)
    sign_in(client, sso, "sub-ada-2")
    assert signed_in_user(client) == Person.objects.get(pk=ada.pk).user
    assert User.objects.count() == 1 and OidcIdentity.objects.count() == 1


def test_an_unverified_email_does_not_find_anyone(client, sso, ada):
    sso.add_user("sub-mallory", email="ada@example.com", email_verified=False)
    response = sign_in(client, sso, "sub-mallory")
    assert response.status_code == 403
    assert b"not known to Redefine" in response.content
    assert not signed_in_user(client).is_authenticated
    assert not OidcIdentity.objects.exists() and not User.objects.exists()


def test_an_unknown_subject_gets_a_clear_page_and_no_account_is_created(client, sso, ada):
    sso.add_user("sub-stranger", email="stranger@example.com", email_verified=True)
    people = Person.objects.count()
    response = sign_in(client, sso, "sub-stranger")
    assert response.status_code == 403
    assert b"does not create people at sign-in" in response.content
    assert Person.objects.count() == people and not User.objects.exists()


def test_a_deactivated_person_cannot_sign_in(client, sso, ada):
    sso.add_user("sub-ada-3", email="ada@example.com", email_verified=True)
    Person.objects.filter(pk=ada.pk).update(active=False)
    response = sign_in(client, sso, "sub-ada-3")
    assert response.status_code == 403 and b"access has been removed" in response.content
    assert not OidcIdentity.objects.exists()


def test_a_person_deactivated_after_linking_is_refused_by_subject(client, sso, ada):
    sso.add_user("sub-ada-4", email="ada@example.com", email_verified=True)
    sign_in(client, sso, "sub-ada-4")
    client.logout()
    Person.objects.filter(pk=ada.pk).update(active=False)
    response = sign_in(client, sso, "sub-ada-4")
    assert response.status_code == 403 and not signed_in_user(client).is_authenticated


def test_an_inactive_login_account_cannot_sign_in(client, sso, ada):
    sso.add_user("sub-ada-5", email="ada@example.com", email_verified=True)
    sign_in(client, sso, "sub-ada-5")
    client.logout()
    User.objects.filter(person=ada).update(is_active=False)
    response = sign_in(client, sso, "sub-ada-5")
    assert response.status_code == 403


def test_a_second_subject_cannot_take_over_a_linked_person(client, sso, ada):
    sso.add_user("sub-ada-6", email="ada@example.com", email_verified=True)
    sign_in(client, sso, "sub-ada-6")
    client.logout()
    sso.add_user("sub-impostor", email="ada@example.com", email_verified=True)
    response = sign_in(client, sso, "sub-impostor")
    assert response.status_code == 403 and b"another account" in response.content
    assert list(OidcIdentity.objects.values_list("subject", flat=True)) == ["sub-ada-6"]


def test_two_people_with_the_same_email_are_not_guessed_between(client, sso, ada):
    Person.objects.create(external_id="E-ADA-2", full_name="Ada Two", email="ada@example.com")
    sso.add_user("sub-ada-7", email="ada@example.com", email_verified=True)
    response = sign_in(client, sso, "sub-ada-7")
    assert response.status_code == 403 and not OidcIdentity.objects.exists()


def test_an_external_id_claim_finds_the_person_when_configured(client, sso, ada, settings):
    settings.OIDC_EXTERNAL_ID_CLAIM = "employee_id"
    sso.add_user("sub-ada-8", employee_id="e-ada", email="other@example.com")
    response = sign_in(client, sso, "sub-ada-8")
    assert response.status_code == 302
    assert OidcIdentity.objects.get().matched_by == "external_id_claim"


def test_an_existing_login_account_is_kept(client, sso, ada):
    user = User.objects.create_user("ada", password="a-long-local-password")
    Person.objects.filter(pk=ada.pk).update(user=user)
    sso.add_user("sub-ada-9", email="ada@example.com", email_verified=True)
    sign_in(client, sso, "sub-ada-9")
    assert signed_in_user(client) == user and User.objects.count() == 1


def test_the_next_page_is_kept_but_never_another_site(client, sso, ada):
    sso.add_user("sub-ada-10", email="ada@example.com", email_verified=True)
    assert sign_in(client, sso, "sub-ada-10", "/goals/")["Location"] == "/goals/"
    client.logout()
    assert sign_in(client, sso, "sub-ada-10", "https://evil.example/")["Location"] == "/"
    client.logout()
    assert sign_in(client, sso, "sub-ada-10", "//evil.example/x")["Location"] == "/"


def test_a_tampered_code_verifier_is_refused_by_the_provider(client, sso, ada):
    sso.add_user("sub-ada-11", email="ada@example.com", email_verified=True)
    location = authorize(start(client), "sub-ada-11")
    session = client.session
    for key, value in session.items():
        if key.startswith("_state_") and "data" in value:
            value["data"]["code_verifier"] = "x" * 64
            session[key] = value
    session.save()
    refused = sso.enforcer.refused
    response = finish(client, location)
    assert response.status_code == 400 and b"did not complete" in response.content
    assert sso.enforcer.refused == refused + 1
    assert not signed_in_user(client).is_authenticated


def test_a_callback_with_a_forged_state_is_refused(client, sso, ada):
    sso.add_user("sub-ada-12", email="ada@example.com", email_verified=True)
    location = authorize(start(client), "sub-ada-12")
    parts = urlsplit(location)
    query = parse_qs(parts.query)
    response = client.get(f"{parts.path}?code={query['code'][0]}&state=forged")
    assert response.status_code == 400 and not signed_in_user(client).is_authenticated


def test_a_callback_replayed_in_another_browser_is_refused(client, sso, ada):
    sso.add_user("sub-ada-13", email="ada@example.com", email_verified=True)
    location = authorize(start(client), "sub-ada-13")
    stranger = Client()
    assert finish(stranger, location).status_code == 400


def test_denying_at_the_provider_says_so(client, sso):
    response = finish(client, authorize(start(client), None, deny=True))
    assert response.status_code == 400 and b"cancelled" in response.content


def test_garbage_at_the_callback_is_a_400_not_a_500(client, sso):
    for query in [
        "",
        "?code=",
        "?state=%00",
        "?error=x" + "y" * 5000,
        "?code=a&state=" + "é" * 300,
    ]:
        assert client.get(f"/accounts/oidc/callback/{query}").status_code == 400


def test_an_unreachable_provider_is_a_clear_page(client, sso, settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.OIDC_DISCOVERY_URL = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    response = client.get("/accounts/oidc/login/")
    assert response.status_code == 502 and b"not answering" in response.content


def test_a_provider_that_hangs_is_given_up_on_after_the_timeout(client, sso, settings):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections and never answers
    try:
        port = silent.getsockname()[1]
        settings.OIDC_DISCOVERY_URL = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
        settings.OIDC_TIMEOUT = 0.5
        began = time.monotonic()
        response = client.get("/accounts/oidc/login/")
        assert response.status_code == 502
        assert time.monotonic() - began < 3
    finally:
        silent.close()


def test_sign_in_pages_are_404_when_single_sign_on_is_off(client, db):
    assert client.get("/accounts/oidc/login/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=a&state=b").status_code == 404


def test_the_login_page_offers_the_provider_beside_the_password(client, sso):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Acme ID" in page and 'name="password"' in page


def test_switching_local_passwords_off_leaves_only_single_sign_on(client, sso, settings, alice):
    settings.LOCAL_PASSWORDS = False
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Acme ID" in page and 'name="password"' not in page
    response = client.post("/accounts/login/", {"username": "alice", "password": "alice-pw-123!"})
    assert response.status_code == 403 and not signed_in_user(client).is_authenticated
    admin_login = client.get("/admin/login/?next=/admin/")
    assert admin_login.status_code == 302 and admin_login["Location"].startswith("/accounts/login/")

"""One-time secrets (API tokens, webhook signing secrets) are shown once, in the answer to
the POST that made them, and never reach a cookie: the attacker here reads every Set-Cookie
header the browser got, decoded, and the session store."""

import base64
import re
import zlib

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from hrapi.services import api_client_create

pytestmark = pytest.mark.django_db

SECRET = re.compile(r"(?:rdf|whsec)_[\w-]{20,}")


def _cookie_texts(responses) -> list[str]:
    """Every cookie value set, raw and as Django's signed cookie would decode (base64, zlib)."""
    texts = []
    for response in responses:
        for morsel in response.cookies.values():
            value = morsel.value
            texts.append(value)
            payload = value.split(":")[0].lstrip(".")
            try:
                raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
                texts.append(raw.decode("latin-1"))
                texts.append(zlib.decompress(raw).decode("latin-1"))
            except (ValueError, zlib.error):
                pass
    return texts


def _session_texts() -> list[str]:
    return [str(session.get_decoded()) for session in Session.objects.all()]


def _leaked(secret: str, responses) -> bool:
    return any(secret in text for text in _cookie_texts(responses) + _session_texts())


def _admin(client, hilda):
    hilda.is_superuser = True
    hilda.save()
    client.force_login(hilda)


def test_messages_never_travel_in_a_cookie():
    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.session.SessionStorage"


def test_a_token_made_in_the_admin_is_shown_once_and_never_reaches_a_cookie(client, hilda):
    _admin(client, hilda)
    form = {"name": "payroll", "scopes": ["people:read"]}
    form |= {"tokens-TOTAL_FORMS": 0, "tokens-INITIAL_FORMS": 0}
    created = client.post("/admin/hrapi/apiclient/add/", form)
    (token,) = SECRET.findall(created.content.decode())
    after = [client.get("/admin/hrapi/apiclient/"), client.get("/admin/")]
    assert not _leaked(token, [created, *after])
    assert all(token not in r.content.decode() for r in after)
    assert "no-store" in created["Cache-Control"]


def test_a_signing_secret_made_in_the_admin_is_shown_once_and_never_reaches_a_cookie(
    client, hilda, receiver
):
    _admin(client, hilda)
    api_client, _ = api_client_create(name="payroll", scopes=["metrics:read"])
    form = {"client": api_client.pk, "url": receiver.url, "events": ["pilot.started"]}
    created = client.post("/admin/hrapi/webhooksubscription/add/", {**form, "active": "on"})
    assert created.status_code == 200
    (secret,) = SECRET.findall(created.content.decode())
    after = [client.get("/admin/hrapi/webhooksubscription/"), client.get("/admin/")]
    assert not _leaked(secret, [created, *after])
    assert all(secret not in r.content.decode() for r in after)


def test_secrets_made_on_the_integrations_pages_never_reach_a_cookie(client, hilda, receiver):
    client.force_login(hilda)
    made = client.post("/integrations/", {"name": "payroll", "scopes": ["webhooks"]})
    (token,) = SECRET.findall(made.content.decode())
    from hrapi.models import ApiClient

    hooked = client.post(
        "/integrations/webhooks/",
        {
            "client": ApiClient.objects.get().pk,
            "url": receiver.url,
            "events": ["pilot.started"],
            "active": "on",
        },
    )
    (secret,) = SECRET.findall(hooked.content.decode())
    after = [client.get("/integrations/"), client.get("/integrations/webhooks/")]
    for value in (token, secret):
        assert not _leaked(value, [made, hooked, *after])
        assert all(value not in r.content.decode() for r in after)

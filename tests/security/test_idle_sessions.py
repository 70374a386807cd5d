"""A session left alone ends: after SESSION_IDLE_TIMEOUT without a request the next one is
logged out and the login page says why. Activity keeps it alive."""

import time
from datetime import timedelta

import pytest

from core.middleware import ACTIVITY_RESOLUTION_SECONDS

pytestmark = pytest.mark.django_db


def _idle_for(client, seconds: float) -> None:
    session = client.session
    session["last_activity"] = time.time() - seconds
    session.save()


def test_a_session_idle_past_the_timeout_is_logged_out_with_a_reason(client, alice, settings):
    client.force_login(alice)
    assert client.get("/").status_code == 200
    _idle_for(client, settings.SESSION_IDLE_TIMEOUT.total_seconds() + 1)
    response = client.get("/pilots/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "logged out after 30 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_an_idle_session_cannot_use_the_api_either(api, alice, settings):
    api.force_login(alice)
    assert api.get("/api/v1/pilots/").status_code == 200
    _idle_for(api, settings.SESSION_IDLE_TIMEOUT.total_seconds() + 1)
    assert api.get("/api/v1/pilots/").status_code in (401, 403)


def test_activity_within_the_timeout_keeps_the_session(client, alice, settings):
    client.force_login(alice)
    client.get("/")
    _idle_for(client, settings.SESSION_IDLE_TIMEOUT.total_seconds() - 5)
    assert client.get("/").status_code == 200
    # That request counted as activity: the clock starts again.
    assert time.time() - client.session["last_activity"] < ACTIVITY_RESOLUTION_SECONDS


def test_the_idle_timeout_is_a_setting(client, alice, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    client.force_login(alice)
    client.get("/")
    _idle_for(client, 5 * 60 + 1)
    response = client.get("/", follow=True)
    assert "logged out after 5 minutes without activity" in response.content.decode()

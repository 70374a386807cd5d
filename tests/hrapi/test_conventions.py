"""Conventions every endpoint shares: one error shape, revocation, CSRF, throttling."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from hrapi.models import ApiClient
from hrapi.services import api_client_revoke, api_token_revoke
from hrapi.throttling import ClientRateThrottle

pytestmark = pytest.mark.django_db


def _error_shape(response, status, code=None):
    body = response.json()
    assert response.status_code == status, body
    assert set(body) <= {"code", "message", "fields"} and body["message"]
    if code:
        assert body["code"] == code
    return body


def test_a_revoked_client_gets_a_401_in_the_error_shape(client_with_scopes):
    api = client_with_scopes("people:read")
    assert api.get("/api/v1/people/").status_code == 200
    api_client_revoke(client=api.api_client)
    _error_shape(api.get("/api/v1/people/"), 401, "authentication_failed")


def test_a_revoked_token_gets_a_401_while_the_client_lives(client_with_scopes):
    api = client_with_scopes("people:read")
    api_token_revoke(token=api.api_client.tokens.get())
    _error_shape(api.get("/api/v1/people/"), 401, "authentication_failed")


def test_a_malformed_authorization_header_is_a_401(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer a b")
    _error_shape(api.get("/api/v1/people/"), 401)
    api.credentials(HTTP_AUTHORIZATION="Bearer nope")
    _error_shape(api.get("/api/v1/people/"), 401)


def test_a_wrong_method_is_a_405_in_the_error_shape(client_with_scopes):
    api = client_with_scopes("people:read", "people:write")
    _error_shape(api.patch("/api/v1/people/bulk/", {}), 405, "method_not_allowed")


def test_an_unsupported_media_type_is_a_415_in_the_error_shape(client_with_scopes):
    api = client_with_scopes("people:read", "people:write")
    response = api.generic("POST", "/api/v1/people/", "x=1", content_type="text/plain")
    _error_shape(response, 415, "unsupported_media_type")


def test_an_unknown_api_path_is_a_json_404(client_with_scopes):
    api = client_with_scopes("people:read")
    _error_shape(api.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_session_users_need_a_csrf_token_for_writes(hilda):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(hilda)
    assert api.get("/api/v1/people/").status_code == 200
    body = _error_shape(api.post("/api/v1/people/", {"external_id": "E9", "full_name": "N"}), 403)
    assert "CSRF" in body["message"]


def test_the_throttle_answers_429_with_retry_after(client_with_scopes, monkeypatch):
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"client": "3/min"})
    cache.clear()
    api = client_with_scopes("people:read")
    statuses = [api.get("/api/v1/people/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    response = api.get("/api/v1/people/")
    _error_shape(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60


def test_each_client_has_its_own_budget(client_with_scopes, monkeypatch):
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"client": "2/min"})
    cache.clear()
    first, second = client_with_scopes("people:read"), client_with_scopes("people:read", name="b")
    assert [first.get("/api/v1/people/").status_code for _ in range(3)][-1] == 429
    assert second.get("/api/v1/people/").status_code == 200


def _hammer(limit: int, clients: int, attempts: int) -> int:
    """`clients` threads share one API client's budget; returns how many requests passed."""
    api_client = ApiClient(pk=10_000 + uuid.uuid4().int % 10_000, name="load")
    request = SimpleNamespace(auth=api_client, user=None, META={})
    passed, lock, start = [0], threading.Lock(), threading.Barrier(clients)

    def client_loop(_):
        start.wait()
        for _ in range(attempts):
            throttle = ClientRateThrottle()
            throttle.rate, throttle.num_requests, throttle.duration = f"{limit}/h", limit, 3600
            if throttle.allow_request(request, None):
                with lock:
                    passed[0] += 1

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client_loop, range(clients)))
    return passed[0]


def test_concurrent_requests_never_pass_the_limit_in_the_local_cache():
    assert _hammer(limit=50, clients=16, attempts=10) == 50


@pytest.mark.services
def test_sixteen_concurrent_clients_stay_within_the_limit_on_redis():
    # The brief allows 1.5x; the add/incr counter is atomic in Redis, so exactly the limit.
    passed = _hammer(limit=100, clients=16, attempts=20)
    assert 100 <= passed <= 150
    assert passed == 100


@pytest.mark.parametrize(
    "query",
    ["active=null", "active=maybe", "active=", "active=true&active=false", "updated_since="],
)
def test_filters_refuse_values_they_would_otherwise_ignore(client_with_scopes, query):
    api = client_with_scopes("people:read")
    body = _error_shape(api.get(f"/api/v1/people/?{query}"), 400, "invalid")
    assert set(body["fields"]) <= {"active", "updated_since"}


def test_an_integer_filter_refuses_a_fraction(client_with_scopes):
    api = client_with_scopes("metrics:read")
    body = _error_shape(api.get("/api/v1/baselines/?version=0.5"), 400, "invalid")
    assert body["fields"] == {"version": ["Must be a whole number."]}
    assert api.get("/api/v1/baselines/?version=2").status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/cycles/%0A/", "/api/v1/opportunities/1%0A/", "/api/v1/no-such-thing/"]
)
def test_a_path_no_route_matches_is_a_json_404(client_with_scopes, path):
    api = client_with_scopes("people:read")
    _error_shape(api.get(path), 404, "not_found")
    _error_shape(api.post(path, {}, format="json"), 404, "not_found")

"""Quotas an integrator can see, and token guessing slowed down per address."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/v1/people/", "/api/v1/", "/api/v1/nothing/", "/api/v1/people/%00/"]
)
def test_every_api_answer_carries_rate_limit_headers(hr, api, data, path):
    for client in (hr, api):
        response = client.get(path)
        assert int(response["RateLimit-Limit"]) > 0
        assert 0 <= int(response["RateLimit-Remaining"]) <= int(response["RateLimit-Limit"])
        assert 0 <= int(response["RateLimit-Reset"]) <= 3600


def test_remaining_goes_down_with_each_request(hr, data):
    first = int(hr.get("/api/v1/people/")["RateLimit-Remaining"])
    assert int(hr.get("/api/v1/people/")["RateLimit-Remaining"]) == first - 1


def test_guessing_tokens_is_throttled_by_address(settings, data):
    settings.API_BAD_TOKEN_RATE = "5/min"
    guesser = APIClient(REMOTE_ADDR="203.0.113.7")
    answers = []
    for n in range(7):
        guesser.credentials(HTTP_AUTHORIZATION=f"Bearer guess-{n}")
        answers.append(guesser.get("/api/v1/people/").status_code)
    assert answers == [401] * 5 + [429] * 2
    elsewhere = APIClient(REMOTE_ADDR="203.0.113.8")
    elsewhere.credentials(HTTP_AUTHORIZATION="Bearer guess")
    assert elsewhere.get("/api/v1/people/").status_code == 401
    throttled = guesser.get("/api/v1/people/")
    assert throttled.json()["code"] == "throttled"
    assert "Retry-After" in throttled

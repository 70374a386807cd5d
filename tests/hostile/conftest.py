"""Hostile-input fixtures: an HR system holding every scope, a little data to aim at, and
`send`, which sends raw bytes and fails the test on any 5xx."""

import datetime

import pytest

from metrics.models import MetricDefinition
from people.models import Person


@pytest.fixture
def hr(client_with_scopes):
    return client_with_scopes(
        "people:read",
        "people:write",
        "metrics:read",
        "metrics:write",
        "pilots:read",
        "goals:read",
        "webhooks",
        name="hostile-hris",
    )


@pytest.fixture
def scim_api(client_with_scopes):
    return client_with_scopes("scim", name="hostile-idp")


@pytest.fixture
def data(org):
    boss = Person.objects.create(external_id="E1", full_name="Boss", org_unit=org)
    Person.objects.create(external_id="E2", full_name="Ann", org_unit=org, manager=boss)
    MetricDefinition.objects.create(
        key="hours",
        name="Hours",
        unit="h",
        kind="efficiency",
        direction="lower_is_better",
        aggregation="sum",
    )
    return org


def observation(**changes) -> dict:
    row = {
        "metric": "hours",
        "subject_type": "person",
        "subject_id": "E2",
        "period_start": str(datetime.date(2026, 1, 5)),
        "period_end": str(datetime.date(2026, 1, 11)),
        "value": "3.5",
    }
    return row | changes


@pytest.fixture
def send():
    """send(client, method, path, raw_body=None, content_type=...) -> response, never a 5xx."""

    def _send(client, method, path, raw=None, content_type="application/json", **extra):
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogatepass")
        response = client.generic(method, path, raw or b"", content_type=content_type, **extra)
        assert response.status_code < 500, (method, path, response.status_code, response.content)
        assert response.status_code not in (301, 302, 308), "an API path never redirects"
        return response

    return _send

"""The README's API examples work as written (the same bodies, through the test client)."""

import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from metrics.models import MetricDefinition
from people.models import Person

pytestmark = pytest.mark.django_db


def _token(name: str, scopes: str) -> APIClient:
    out = io.StringIO()
    call_command("create_api_client", name, "--scopes", scopes, stdout=out, stderr=io.StringIO())
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {out.getvalue().strip()}")
    return api


def test_the_readme_pushes_observations_with_a_new_token():
    MetricDefinition.objects.create(
        key="cases_closed",
        name="Cases closed",
        unit="cases",
        kind="performance",
        direction="higher_is_better",
        aggregation="sum",
    )
    Person.objects.create(external_id="E00003", full_name="Supervisor")
    api = _token("payroll", "metrics:write,people:read")
    body = {
        "rows": [
            {
                "metric": "cases_closed",
                "subject_type": "person",
                "subject_id": "E00003",
                "period_start": "2026-11-16",
                "period_end": "2026-11-22",
                "value": "41",
                "source": "payroll",
            }
        ]
    }
    response = api.post("/api/v1/observations/bulk/", body, format="json")
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0}


def test_the_readme_provisions_a_user_over_scim():
    api = _token("okta", "scim")
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "E10001",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": "ada@example.com", "type": "work", "primary": True}],
    }
    created = api.generic(
        "POST", "/scim/v2/Users", json.dumps(body), content_type="application/scim+json"
    )
    assert created.status_code == 201
    found = api.get("/scim/v2/Users?filter=userName%20eq%20%22E10001%22").json()
    assert found["totalResults"] == 1 and found["Resources"][0]["displayName"] == "Ada Lovelace"

"""Hostile query strings and bodies on the metrics API get clear 4xx answers, never a 500."""

import pytest

from .conftest import BEFORE_START, weekly


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/baselines/?pilot=abc",
        "/api/v1/baselines/?pilot=99999999999999999999999",
        "/api/v1/baselines/?page=0",
        "/api/v1/baselines/?version=-1",
        "/api/v1/observations/?subject_id=99999999999999999999999",
        "/api/v1/observations/?subject_type=team",
        "/api/v1/observations/?cursor=garbage",
        "/api/v1/observations/?page_size=0",
        "/api/v1/observations/?period_end_before=2026-02-30",
        "/api/v1/observations/?include_superseded=maybe",
        "/api/v1/metric-definitions/?kind=vibes",
        "/api/v1/people/P-NOBODY/protected-metrics/?period_start=2026-01-01&period_end=2026-01-31",
        "/api/v1/people/P-CAROL/protected-metrics/?period_start=0001-01-01&period_end=9999-12-31",
    ],
)
def test_odd_queries_are_answered_without_a_server_error(client_with_scopes, cases, carol, query):
    weekly(cases, carol.person, ["1"], BEFORE_START)
    answer = client_with_scopes("metrics:read").get(query)
    assert answer.status_code < 500
    assert answer["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "row",
    [
        {"metric": ["x"], "subject_type": {}, "subject_id": [1], "period_start": 1},
        {
            "metric": "cases_closed",
            "subject_type": "person",
            "subject_id": "P-CAROL",
            "period_start": "2026-01-01",
            "period_end": "2026-01-07",
            "value": 1e308,
        },
        {
            "metric": "cases_closed",
            "subject_type": "pilot",
            "subject_id": "-1",
            "period_start": "2026-01-01",
            "period_end": "2026-01-07",
            "value": "1",
        },
        {
            "metric": "cases_closed",
            "subject_type": "person",
            "subject_id": "P-CAROL",
            "period_start": "2026-01-01",
            "period_end": "2026-01-07",
            "value": "1",
            "source": 5,
        },
    ],
)
def test_odd_rows_are_reported_not_crashed_on(client_with_scopes, cases, carol, row):
    answer = client_with_scopes("metrics:write").post(
        "/api/v1/observations/bulk/", {"rows": [row]}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_rows"

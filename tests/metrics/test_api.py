"""The metrics API: contract field names, bulk all-or-nothing, scoping and scopes."""

import datetime as dt

import pytest

from metrics.baselines import baselines_freeze_for_start
from metrics.models import Baseline, MetricDefinition, Observation

from .conftest import START, mark_running, start_of, weekly

BEFORE = START - dt.timedelta(weeks=4)


def row(**overrides):
    base = {
        "metric": "cases_closed",
        "subject_type": "person",
        "subject_id": "P-CAROL",
        "period_start": "2026-05-04",
        "period_end": "2026-05-10",
        "value": "12.5",
        "source": "hris",
    }
    return base | overrides


@pytest.fixture
def frozen(pilot, cases, handling, carol, dan):
    for person in (carol.person, dan.person):
        weekly(cases, person, ["10"] * 4, BEFORE)
        weekly(handling, person, ["30"] * 4, BEFORE)
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    return mark_running(pilot)


def test_metric_definitions_have_the_contract_fields(client_with_scopes, cases):
    answer = client_with_scopes("metrics:read").get("/api/v1/metric-definitions/")
    assert answer.status_code == 200
    item = answer.json()["results"][0]
    assert {k: item[k] for k in ("key", "name", "unit", "kind", "direction", "aggregation")} == {
        "key": "cases_closed",
        "name": "Cases closed per week",
        "unit": "cases",
        "kind": "performance",
        "direction": "higher_is_better",
        "aggregation": "mean",
    }


def test_hr_admins_create_and_update_metric_definitions(api, hilda):
    api.force_authenticate(hilda)
    body = {
        "key": "nps",
        "name": "NPS",
        "unit": "points",
        "kind": "performance",
        "direction": "higher_is_better",
        "aggregation": "last",
    }
    assert api.post("/api/v1/metric-definitions/", body).status_code == 201
    assert api.patch("/api/v1/metric-definitions/nps/", {"name": "Net promoter"}).status_code == 200
    assert MetricDefinition.objects.get(key="nps").name == "Net promoter"
    bad = api.post("/api/v1/metric-definitions/", body | {"key": "x", "kind": "vibes"})
    assert bad.status_code == 400 and "kind" in bad.json()["fields"]


def test_a_supervisor_cannot_write_metric_definitions(api, carol, cases):
    api.force_authenticate(carol)
    assert api.patch("/api/v1/metric-definitions/cases_closed/", {"name": "x"}).status_code == 403


def test_a_metric_in_use_cannot_be_deleted(client_with_scopes, cases, carol):
    weekly(cases, carol.person, ["1"], BEFORE)
    answer = client_with_scopes("metrics:write").delete("/api/v1/metric-definitions/cases_closed/")
    assert answer.status_code == 409 and answer.json()["code"] == "metric_in_use"


def test_bulk_upserts_and_answers_counts(client_with_scopes, cases, carol):
    client = client_with_scopes("metrics:write")
    answer = client.post("/api/v1/observations/bulk/", {"rows": [row()]})
    assert answer.json() == {"created": 1, "updated": 0, "unchanged": 0}
    answer = client.post("/api/v1/observations/bulk/", {"rows": [row(value="13")]})
    assert answer.json() == {"created": 0, "updated": 1, "unchanged": 0}
    answer = client.post("/api/v1/observations/bulk/", {"rows": [row(value="13")]})
    assert answer.json() == {"created": 0, "updated": 0, "unchanged": 1}


def test_bulk_with_a_bad_row_in_the_middle_writes_nothing(client_with_scopes, cases, carol):
    rows = [row(period_start=f"2026-0{m}-01", period_end=f"2026-0{m}-07") for m in (1, 2, 3)]
    rows[1]["period_end"] = "2026-01-01"
    answer = client_with_scopes("metrics:write").post("/api/v1/observations/bulk/", {"rows": rows})
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "invalid_rows",
        "errors": [
            {"index": 1, "field": "period_end", "message": "Must be on or after period_start."}
        ],
    }
    assert not Observation.objects.exists()


@pytest.mark.parametrize("body", [{}, {"rows": "x"}, [1, 2], {"rows": [1]}])
def test_bulk_with_a_malformed_body_is_a_400(client_with_scopes, cases, body):
    answer = client_with_scopes("metrics:write").post(
        "/api/v1/observations/bulk/", body, format="json"
    )
    assert answer.status_code == 400


def test_bulk_needs_the_write_scope(client_with_scopes, cases, carol):
    answer = client_with_scopes("metrics:read").post(
        "/api/v1/observations/bulk/", {"rows": [row()]}
    )
    assert answer.status_code == 403
    answer = client_with_scopes("people:write").get("/api/v1/observations/")
    assert answer.status_code == 403


def test_observations_list_has_the_contract_fields_and_filters(
    client_with_scopes, cases, carol, dan
):
    weekly(cases, carol.person, ["1", "2", "3"], BEFORE)
    weekly(cases, dan.person, ["4"], BEFORE)
    client = client_with_scopes("metrics:read")
    answer = client.get(
        "/api/v1/observations/", {"subject_id": "P-CAROL", "subject_type": "person"}
    )
    results = answer.json()["results"]
    assert len(results) == 3
    assert {
        k: results[-1][k]
        for k in (
            "metric",
            "subject_type",
            "subject_id",
            "period_start",
            "period_end",
            "value",
            "source",
        )
    } == {
        "metric": "cases_closed",
        "subject_type": "person",
        "subject_id": "P-CAROL",
        "period_start": str(BEFORE),
        "period_end": str(BEFORE + dt.timedelta(days=6)),
        "value": "1.0000",
        "source": "hris",
    }
    after = str(BEFORE + dt.timedelta(weeks=1))
    answer = client.get(
        "/api/v1/observations/", {"metric": "cases_closed", "period_start_after": after}
    )
    assert len(answer.json()["results"]) == 2
    assert client.get("/api/v1/observations/", {"period_start_after": "garbage"}).status_code == 400


def test_the_observations_list_costs_the_same_queries_at_two_sizes(
    api, hilda, cases, carol, django_assert_num_queries
):
    from django.contrib.auth.models import User

    def listing(expected_rows):
        api.force_authenticate(User.objects.get(pk=hilda.pk))  # no permissions cached yet
        # user permissions, group permissions, one page with metric key and person external_id
        with django_assert_num_queries(3):
            assert len(api.get("/api/v1/observations/").json()["results"]) == expected_rows

    weekly(cases, carol.person, ["1"] * 3, BEFORE)
    listing(3)
    weekly(cases, carol.person, ["1"] * 30, BEFORE + dt.timedelta(weeks=3))
    listing(33)


def test_a_supervisor_sees_only_their_own_observations_and_baselines(api, frozen, carol):
    api.force_authenticate(carol)
    observations = api.get("/api/v1/observations/").json()["results"]
    assert {o["subject_id"] for o in observations} == {"P-CAROL"}
    baselines = api.get("/api/v1/baselines/").json()["results"]
    assert {b["person"] for b in baselines} == {"P-CAROL"}


def test_a_member_sees_no_observations(api, frozen, erin):
    api.force_authenticate(erin)
    assert api.get("/api/v1/observations/").json()["results"] == []


def test_baselines_have_the_contract_fields_and_filters(client_with_scopes, frozen, cases):
    client = client_with_scopes("metrics:read")
    answer = client.get(
        "/api/v1/baselines/", {"person": "P-DAN", "metric": "cases_closed", "pilot": frozen.pk}
    )
    (item,) = answer.json()["results"]
    assert {
        k: item[k] for k in ("person", "pilot", "metric", "value", "observation_count", "version")
    } == {
        "person": "P-DAN",
        "pilot": frozen.pk,
        "metric": "cases_closed",
        "value": "10.0000",
        "observation_count": 4,
        "version": 1,
    }
    assert {"window_start", "window_end", "frozen_at"} <= set(item)


def test_baselines_cannot_be_written_through_the_api(client_with_scopes, frozen):
    client = client_with_scopes("metrics:read", "metrics:write")
    pk = Baseline.objects.first().pk
    assert client.post("/api/v1/baselines/", {}).status_code == 405
    assert client.patch(f"/api/v1/baselines/{pk}/", {"value": "1"}).status_code == 405
    assert client.delete(f"/api/v1/baselines/{pk}/").status_code == 405


def test_protected_metrics_answer_per_metric(client_with_scopes, frozen, cases, carol):
    weekly(cases, carol.person, ["6"], START)
    answer = client_with_scopes("metrics:read").get(
        "/api/v1/people/P-CAROL/protected-metrics/",
        {"period_start": str(START), "period_end": str(START + dt.timedelta(days=6))},
    )
    assert answer.status_code == 200
    by_metric = {r["metric"]: r for r in answer.json()["results"]}
    assert by_metric["cases_closed"] == {
        "metric": "cases_closed",
        "period_start": str(START),
        "period_end": str(START + dt.timedelta(days=6)),
        "actual": "6.0000",
        "baseline": "10.0000",
        "protected_value": "10.0000",
        "protection_applied": True,
        "pilot": frozen.pk,
    }


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"period_start": "2026-01-01"},
        {"period_start": "x", "period_end": "2026-01-01"},
        {"period_start": "2026-02-01", "period_end": "2026-01-01"},
    ],
)
def test_protected_metrics_with_bad_dates_is_a_400(client_with_scopes, frozen, params):
    answer = client_with_scopes("metrics:read").get(
        "/api/v1/people/P-CAROL/protected-metrics/", params
    )
    assert answer.status_code == 400 and answer.json()["code"] == "invalid"


def test_protected_metrics_of_someone_else_are_hidden_from_a_supervisor(
    api, frozen, carol, hilda, alice
):
    params = {"period_start": str(START), "period_end": str(START)}
    api.force_authenticate(carol)
    assert api.get("/api/v1/people/P-DAN/protected-metrics/", params).status_code == 404
    assert api.get("/api/v1/people/P-CAROL/protected-metrics/", params).status_code == 200
    for reader in (hilda, alice):
        api.force_authenticate(reader)
        assert api.get("/api/v1/people/P-DAN/protected-metrics/", params).status_code == 200
    api.force_authenticate(None)
    assert api.get("/api/v1/people/P-DAN/protected-metrics/", params).status_code in (401, 403)


def test_protected_metrics_need_the_metrics_scope(client_with_scopes, frozen):
    params = {"period_start": str(START), "period_end": str(START)}
    answer = client_with_scopes("people:read").get(
        "/api/v1/people/P-CAROL/protected-metrics/", params
    )
    assert answer.status_code == 403


def test_the_schema_documents_the_metrics_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/metric-definitions/",
        "/api/v1/observations/",
        "/api/v1/observations/bulk/",
        "/api/v1/baselines/",
        "/api/v1/people/{external_id}/protected-metrics/",
    ):
        assert path in schema["paths"]


def test_the_baselines_list_costs_the_same_queries_at_two_sizes(
    api, hilda, frozen, bob, django_assert_num_queries
):
    from django.contrib.auth.models import User

    from pilots.models import Workgroup

    def listing():
        api.force_authenticate(User.objects.get(pk=hilda.pk))
        # user permissions, group permissions, count, one page with person and metric joined
        with django_assert_num_queries(4):
            return api.get("/api/v1/baselines/").json()["count"]

    assert listing() == 4
    Workgroup.objects.create(pilot=frozen, name="Bob's", supervisor=bob.person)
    for metric in MetricDefinition.objects.all():
        weekly(metric, bob.person, ["5"], BEFORE)
    second = Workgroup.objects.get(name="Bob's").pilot
    second.pk = None
    second.save()
    Workgroup.objects.create(pilot=second, name="x", supervisor=bob.person)
    baselines_freeze_for_start(pilot=second, frozen_at=start_of(second))
    assert listing() == 6

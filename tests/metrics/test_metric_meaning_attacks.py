"""An insider tries to switch off a supervisor's protection without touching the baseline: by
editing what the metric means (API PATCH and PUT, the admin, raw SQL), renaming it, or
deactivating it. Each attempt is refused or changes nothing HR reads."""

import datetime as dt

import pytest
from django.db import connection

from metrics.baselines import baselines_freeze_for_start
from metrics.models import Baseline, MetricDefinition

from .conftest import START, mark_running, start_of, weekly

BEFORE = START - dt.timedelta(weeks=4)
# A protected week in which carol did worse than her baseline on both metrics.
WEEK = START + dt.timedelta(weeks=2)
PERIOD = f"period_start={WEEK}&period_end={WEEK + dt.timedelta(days=6)}"


@pytest.fixture
def protected(pilot, cases, handling, carol, dan):
    """Carol: baseline 10 cases (higher is better) and 30 minutes (lower is better); in the
    protected week she closes 4 cases in 50 minutes, so HR reads the baselines."""
    for person in (carol.person, dan.person):
        weekly(cases, person, ["10"] * 4, BEFORE)
        weekly(handling, person, ["30"] * 4, BEFORE)
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    mark_running(pilot)
    weekly(cases, carol.person, ["4"], WEEK)
    weekly(handling, carol.person, ["50"], WEEK)
    return pilot


@pytest.fixture
def hr_system(client_with_scopes):
    return client_with_scopes("metrics:read", "metrics:write", name="hr-system")


def _protected(api) -> dict:
    answer = api.get(f"/api/v1/people/P-CAROL/protected-metrics/?{PERIOD}")
    assert answer.status_code == 200
    return {
        r["metric"]: (r["protected_value"], r["protection_applied"])
        for r in answer.json()["results"]
    }


PROTECTED = {"cases_closed": ("10.0000", True), "handling_time": ("30.0000", True)}

MEANING_CHANGES = [
    ("cases_closed", {"direction": "lower_is_better"}),
    ("handling_time", {"direction": "higher_is_better"}),
    ("cases_closed", {"aggregation": "sum"}),
    ("cases_closed", {"aggregation": "last"}),
    ("cases_closed", {"kind": "efficiency"}),
    ("handling_time", {"kind": "value"}),
    ("cases_closed", {"unit": "tickets"}),
    ("cases_closed", {"key": "cases_closed_v2"}),
    ("cases_closed", {"direction": "lower_is_better", "name": "Harmless rename"}),
]


@pytest.mark.parametrize(("key", "change"), MEANING_CHANGES)
def test_an_hr_system_cannot_change_what_a_protected_metric_means(
    protected, hr_system, key, change
):
    assert _protected(hr_system) == PROTECTED
    answer = hr_system.patch(f"/api/v1/metric-definitions/{key}/", change, format="json")
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "metric_in_use"
    assert body["message"]
    assert set(body["fields"]) == set(change) - {"name"}
    assert _protected(hr_system) == PROTECTED
    assert MetricDefinition.objects.filter(key=key, name__startswith="Harmless").count() == 0


def test_an_hr_admin_cannot_change_it_in_a_session_either(protected, api, hilda):
    api.force_authenticate(hilda)
    answer = api.patch(
        "/api/v1/metric-definitions/cases_closed/", {"direction": "lower_is_better"}, format="json"
    )
    assert (answer.status_code, answer.json()["code"]) == (409, "metric_in_use")


def test_a_put_that_changes_the_meaning_is_refused_and_one_that_keeps_it_is_not(
    protected, hr_system
):
    item = hr_system.get("/api/v1/metric-definitions/cases_closed/").json()
    flipped = item | {"direction": "lower_is_better"}
    answer = hr_system.put("/api/v1/metric-definitions/cases_closed/", flipped, format="json")
    assert (answer.status_code, answer.json()["code"]) == (409, "metric_in_use")
    renamed = item | {"name": "Cases closed (weekly)", "description": "From the case system."}
    answer = hr_system.put("/api/v1/metric-definitions/cases_closed/", renamed, format="json")
    assert answer.status_code == 200
    assert answer.json()["name"] == "Cases closed (weekly)"
    assert _protected(hr_system) == PROTECTED


def test_name_and_description_stay_editable_on_a_metric_in_use(protected, hr_system):
    answer = hr_system.patch(
        "/api/v1/metric-definitions/cases_closed/",
        {"name": "Closed cases", "description": "Per ISO week."},
        format="json",
    )
    assert answer.status_code == 200
    assert MetricDefinition.objects.get(key="cases_closed").name == "Closed cases"


def test_deactivating_a_metric_never_removes_it_from_a_protected_period(protected, hr_system):
    answer = hr_system.patch(
        "/api/v1/metric-definitions/cases_closed/", {"active": False}, format="json"
    )
    assert answer.status_code == 200
    assert _protected(hr_system) == PROTECTED


def test_a_deactivated_metric_takes_no_new_observations(protected, hr_system):
    hr_system.patch("/api/v1/metric-definitions/cases_closed/", {"active": False}, format="json")
    row = {
        "metric": "cases_closed",
        "subject_type": "person",
        "subject_id": "P-CAROL",
        "period_start": str(WEEK + dt.timedelta(weeks=1)),
        "period_end": str(WEEK + dt.timedelta(weeks=1, days=6)),
        "value": "1",
    }
    answer = hr_system.post("/api/v1/observations/bulk/", {"rows": [row]}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_rows"
    assert "deactivated" in answer.json()["errors"][0]["message"]


def test_a_deactivated_metric_outside_protection_leaves_the_list(protected, hr_system, dan):
    """Dan is protected too, but nobody is protected before the pilot started."""
    hr_system.patch("/api/v1/metric-definitions/cases_closed/", {"active": False}, format="json")
    before = START - dt.timedelta(weeks=20)
    answer = hr_system.get(
        f"/api/v1/people/P-DAN/protected-metrics/?period_start={before}"
        f"&period_end={before + dt.timedelta(days=6)}"
    )
    assert [r["metric"] for r in answer.json()["results"]] == ["handling_time"]


def test_a_metric_nobody_used_may_still_be_corrected(hr_system, db):
    MetricDefinition.objects.create(
        key="nps", name="NPS", unit="pts", kind="value", direction="lower_is_better",
        aggregation="mean",
    )  # fmt: skip
    answer = hr_system.patch(
        "/api/v1/metric-definitions/nps/",
        {"direction": "higher_is_better", "key": "nps_survey", "aggregation": "last"},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["key"] == "nps_survey"


def test_a_metric_in_use_cannot_be_deleted(protected, hr_system):
    answer = hr_system.delete("/api/v1/metric-definitions/cases_closed/")
    assert (answer.status_code, answer.json()["code"]) == (409, "metric_in_use")


def test_a_raw_sql_edit_of_the_definition_does_not_move_a_protected_value(protected, hr_system):
    """Even a database administrator who edits the definition directly (both databases) does
    not change what HR reads: protection reads the meaning frozen with the baseline."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE metrics_metricdefinition SET direction = 'lower_is_better', "
            "aggregation = 'sum', active = false WHERE key = 'cases_closed'"
        )
        cursor.execute(
            "UPDATE metrics_metricdefinition SET direction = 'higher_is_better' "
            "WHERE key = 'handling_time'"
        )
    assert _protected(hr_system) == PROTECTED


def test_each_baseline_records_the_meaning_it_was_frozen_under(protected, hr_system, carol):
    answer = hr_system.get("/api/v1/baselines/?metric=handling_time&person=P-CAROL")
    [item] = answer.json()["results"]
    assert {k: v for k, v in item.items() if k.startswith("metric_")} == {
        "metric_direction": "lower_is_better",
        "metric_aggregation": "mean",
        "metric_unit": "minutes",
        "metric_kind": "performance",
    }


def test_a_rebaseline_is_read_as_the_first_version_was_frozen(protected, bob, carol, cases):
    from metrics.baselines import baseline_rebaseline

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE metrics_metricdefinition SET aggregation = 'sum' WHERE id = %s", [cases.pk]
        )
    cases.refresh_from_db()
    second = baseline_rebaseline(
        pilot=protected, person=carol.person, metric=cases, by=bob, reason="Late data"
    )
    assert (second.value, second.metric_aggregation) == (10, "mean")
    assert second.frozen_by == bob


def test_a_change_that_is_refused_leaves_no_history_and_an_allowed_one_names_its_client(
    protected, hr_system
):
    metric = MetricDefinition.objects.get(key="cases_closed")
    before = metric.history.count()
    hr_system.patch("/api/v1/metric-definitions/cases_closed/", {"kind": "value"}, format="json")
    assert metric.history.count() == before
    hr_system.patch("/api/v1/metric-definitions/cases_closed/", {"name": "Closed"}, format="json")
    latest = metric.history.first()
    assert (latest.name, latest.history_api_client.name) == ("Closed", "hr-system")
    assert latest.prev_record.name == "Cases closed per week"


# --- the admin ---------------------------------------------------------------------------------


def _change_form(metric, **changes) -> dict:
    data = {
        "key": metric.key,
        "name": metric.name,
        "unit": metric.unit,
        "kind": metric.kind,
        "direction": metric.direction,
        "aggregation": metric.aggregation,
        "description": metric.description,
        "active": "on" if metric.active else "",
    }
    return {k: v for k, v in (data | changes).items() if v != ""}


def test_an_hr_admin_cannot_change_a_metric_in_use_in_the_admin(protected, client, hilda):
    client.force_login(hilda)
    metric = MetricDefinition.objects.get(key="cases_closed")
    url = f"/admin/metrics/metricdefinition/{metric.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="direction"' not in page.content.decode()  # shown read-only
    forged = _change_form(
        metric, key="renamed", direction="lower_is_better", aggregation="sum", kind="value",
        unit="x", name="Closed cases", active="",
    )  # fmt: skip
    answer = client.post(url, forged)
    assert answer.status_code == 302
    metric.refresh_from_db()
    assert (metric.key, metric.direction, metric.aggregation, metric.kind, metric.unit) == (
        "cases_closed", "higher_is_better", "mean", "performance", "cases",
    )  # fmt: skip
    assert (metric.name, metric.active) == ("Closed cases", False)
    assert metric.history.first().history_user == hilda
    assert _protected_for(client) == PROTECTED


def _protected_for(client) -> dict:
    answer = client.get(f"/api/v1/people/P-CAROL/protected-metrics/?{PERIOD}")
    return {
        r["metric"]: (r["protected_value"], r["protection_applied"])
        for r in answer.json()["results"]
    }


def test_the_admin_still_edits_everything_of_a_metric_nobody_used(client, hilda):
    client.force_login(hilda)
    metric = MetricDefinition.objects.create(
        key="nps", name="NPS", unit="pts", kind="value", direction="lower_is_better",
        aggregation="mean",
    )  # fmt: skip
    answer = client.post(
        f"/admin/metrics/metricdefinition/{metric.pk}/change/",
        _change_form(metric, direction="higher_is_better", key="nps_survey"),
    )
    assert answer.status_code == 302
    metric.refresh_from_db()
    assert (metric.key, metric.direction) == ("nps_survey", "higher_is_better")


def test_the_admin_shows_the_refusal_when_a_metric_became_used_while_the_form_was_open(
    pilot, client, hilda, carol
):
    client.force_login(hilda)
    metric = MetricDefinition.objects.create(
        key="nps", name="NPS", unit="pts", kind="performance", direction="lower_is_better",
        aggregation="mean",
    )  # fmt: skip
    form = client.get(f"/admin/metrics/metricdefinition/{metric.pk}/change/")
    assert 'name="direction"' in form.content.decode()
    weekly(metric, carol.person, ["3"], BEFORE)  # meanwhile, the first observation arrives
    answer = client.post(
        f"/admin/metrics/metricdefinition/{metric.pk}/change/",
        _change_form(metric, direction="higher_is_better"),
    )
    assert answer.status_code == 302  # the field is read-only now, the forged value ignored
    metric.refresh_from_db()
    assert metric.direction == "lower_is_better"


def test_the_admin_creates_metrics_through_the_service(client, hilda, db):
    client.force_login(hilda)
    answer = client.post(
        "/admin/metrics/metricdefinition/add/",
        {
            "key": "nps", "name": "NPS", "unit": "pts", "kind": "value",
            "direction": "higher_is_better", "aggregation": "last", "active": "on",
        },
    )  # fmt: skip
    assert answer.status_code == 302
    assert MetricDefinition.objects.get(key="nps").history.get().history_type == "+"


def test_baselines_of_existing_rows_carry_their_metrics_meaning(protected):
    assert set(Baseline.objects.values_list("metric_direction", flat=True)) == {
        "higher_is_better",
        "lower_is_better",
    }


def test_the_admins_history_page_cannot_revert_a_metric_to_another_meaning(client, hilda, db):
    """Changed while unused, then observed: its old version's page must not bring the old
    meaning back (a revert saves a whole past row, read-only fields included)."""
    metric = MetricDefinition.objects.create(
        key="nps", name="NPS", unit="pts", kind="performance", direction="lower_is_better",
        aggregation="mean",
    )  # fmt: skip
    metric.direction = "higher_is_better"
    metric.save()
    old = metric.history.order_by("history_date", "history_id").first()
    client.force_login(hilda)
    url = f"/admin/metrics/metricdefinition/{metric.pk}/history/{old.history_id}/"
    assert client.post(url, _change_form(metric)).status_code == 403
    metric.refresh_from_db()
    assert metric.direction == "higher_is_better"

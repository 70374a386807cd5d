"""GET /api/v1/pilots/{id}/effect/: per outcome metric the estimate against the frozen
comparison group, or a not_estimable reason; scoped like the pilot."""

import datetime as dt

import pytest
from django.utils import timezone

from evidence.effects import pilot_effect
from evidence.models import ComparisonSet
from pilots.models import Pilot
from tests.evidence.conftest import EFFECT, monday_weeks_ago, start

FIELDS = {
    "estimate", "ci_low", "ci_high", "p_value", "treated_groups", "comparison_groups",
    "pre_weeks", "post_weeks", "method", "not_estimable",
}  # fmt: skip


def url(pilot):
    return f"/api/v1/pilots/{pilot.pk}/effect/"


def by_metric(body):
    return {m["metric"]: m for m in body["metrics"]}


def test_the_sponsor_reads_the_effect_it_recovers_the_known_effect(api, started, bob):
    api.force_authenticate(bob)
    response = api.get(url(started))
    assert response.status_code == 200
    body = response.json()
    hours = by_metric(body)["hours_freed"]
    assert set(hours) >= FIELDS
    assert hours["not_estimable"] is None
    assert hours["ci_low"] < EFFECT < hours["ci_high"]
    assert hours["estimate"] == pytest.approx(EFFECT, abs=2.5)
    assert hours["p_value"] < 0.05
    assert (hours["treated_groups"], hours["comparison_groups"]) == (4, 4)
    assert (hours["pre_weeks"], hours["post_weeks"]) == (12, 10)
    assert hours["method"] == "did_collapsed"
    assert hours["p_value_method"] == "exact_relabelling"  # C(8, 4) = 70
    assert float(hours["money_per_group_week"]) == pytest.approx(hours["estimate"] * 60, abs=0.01)
    contact = by_metric(body)["first_contact"]
    assert contact["money_per_group_week"] is None
    assert contact["ci_low"] < 0 < contact["ci_high"]
    assert body["comparison_version"] == 1 and len(body["comparison_workgroups"]) == 4


def test_the_start_queues_a_snapshot_that_agrees_with_the_api(
    api, data, bob, django_capture_on_commit_callbacks
):
    from evidence.models import EffectSnapshot

    with django_capture_on_commit_callbacks(execute=True):
        started = start(data, bob)
    api.force_authenticate(bob)
    hours = by_metric(api.get(url(started)).json())["hours_freed"]
    snapshot = EffectSnapshot.objects.get(pilot=started, metric__key="hours_freed")
    assert (snapshot.estimate, snapshot.p_value) == (hours["estimate"], hours["p_value"])


def test_a_machine_client_with_pilots_read_reads_it(client_with_scopes, started):
    assert client_with_scopes("pilots:read").get(url(started)).status_code == 200
    assert client_with_scopes("people:read").get(url(started)).status_code == 403


def test_someone_outside_the_pilot_gets_a_404(api, started, dan, mallory):
    for user in (dan, mallory):
        api.force_authenticate(user)
        assert api.get(url(started)).status_code == 404
    api.force_authenticate(None)
    assert api.get(url(started)).status_code in (401, 403)


def test_a_member_of_the_pilot_reads_it(api, started, erin):
    api.force_authenticate(erin)
    assert api.get(url(started)).status_code == 200


def test_an_unknown_pilot_is_a_json_404(api, bob):
    api.force_authenticate(bob)
    for path in ("999999", "99999999999999999999", "abc", "-1", "1.5"):
        response = api.get(f"/api/v1/pilots/{path}/effect/")
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    # A NUL never reaches the router: the input guard answers it (400, JSON).
    assert api.get("/api/v1/pilots/%00/effect/").json()["code"] == "invalid"


def test_writes_to_the_effect_are_refused(api, started, bob):
    api.force_authenticate(bob)
    for method in (api.post, api.put, api.patch, api.delete):
        assert method(url(started), {}).status_code in (403, 405)


def test_before_the_start_there_is_no_comparison_set(api, data, bob):
    api.force_authenticate(bob)
    body = api.get(url(data)).json()
    assert body["not_estimable"] == "no_comparison_set" and body["metrics"] == []


def test_fewer_than_three_comparison_groups_is_refused_with_a_reason(api, data, pool, bob):
    from evidence import services

    services.comparison_choose(pilot=data, workgroups=pool[:2], by=bob)
    start(data, bob)
    api.force_authenticate(bob)
    hours = by_metric(api.get(url(data)).json())["hours_freed"]
    assert hours["not_estimable"] == "too_few_comparison_groups"
    assert hours["estimate"] is None and hours["ci_low"] is None and hours["p_value"] is None
    assert hours["comparison_groups"] == 2
    assert "Fewer than 3" in hours["not_estimable_message"]


def test_fewer_than_eight_pre_period_weeks_is_refused(api, data, bob):
    Pilot.objects.filter(pk=data.pk).update(baseline_window_weeks=6)
    start(data, bob)
    api.force_authenticate(bob)
    hours = by_metric(api.get(url(data)).json())["hours_freed"]
    assert (hours["not_estimable"], hours["pre_weeks"]) == ("too_few_pre_weeks", 6)


def test_a_pilot_with_fewer_than_three_groups_is_refused(api, data, bob):
    for workgroup in list(data.workgroups.order_by("id"))[2:]:
        workgroup.delete()
    start(data, bob)
    api.force_authenticate(bob)
    hours = by_metric(api.get(url(data)).json())["hours_freed"]
    assert hours["not_estimable"] == "too_few_treated_groups"


def test_the_estimate_uses_the_version_in_force_after_a_reselection(api, started, pool, bob):
    from evidence import services

    services.comparison_reselect(pilot=started, workgroups=pool, reason="All six.", by=bob)
    api.force_authenticate(bob)
    body = api.get(url(started)).json()
    assert body["comparison_version"] == 2
    assert by_metric(body)["hours_freed"]["comparison_groups"] == 6
    assert by_metric(body)["hours_freed"]["p_value_method"] == "exact_relabelling"  # C(10,4)


def test_a_comparison_groups_weeks_stop_when_its_own_pilot_starts(started, pool):
    wave = pool[0].pilot
    cut = monday_weeks_ago(3)
    Pilot.objects.filter(pk=wave.pk).update(
        status="running", started_at=timezone.make_aware(dt.datetime.combine(cut, dt.time(9)))
    )
    effect = pilot_effect(Pilot.objects.get(pk=started.pk))
    hours = next(m for m in effect.metrics if m.metric.key == "hours_freed")
    assert hours.comparison_groups == 4  # still there, with fewer weeks after
    frozen = ComparisonSet.objects.get(pilot=started)
    assert frozen.members.count() == 4


def test_the_effect_endpoint_is_in_the_schema(api, bob):
    api.force_authenticate(bob)
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/pilots/{id}/effect/" in schema
    assert "not_estimable" in schema and "p_value" in schema

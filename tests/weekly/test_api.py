"""/api/v1/weekly-splits/: HR reads with people:read, supervisors write their own weeks in
their own session, sponsors read their pilots' supervisors; filters and constant queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from weekly.models import WeeklySplit
from weekly.services import week_of

URL = "/api/v1/weekly-splits/"


def this_monday():
    return week_of(timezone.localdate())


def entry(user, weeks_ago=0, share=40):
    return WeeklySplit.objects.create(
        person=user.person, week=this_monday() - timedelta(weeks=weeks_ago), strategic_percent=share
    )


def test_a_supervisor_records_their_week_and_records_it_again_to_change_it(api, carol, groups):
    api.force_authenticate(carol)
    body = {"week": this_monday().isoformat(), "strategic_percent": 75, "note": "Coaching week"}
    created = api.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["person"] == "P-CAROL" and created.json()["detail_percent"] == 25
    changed = api.post(URL, {**body, "strategic_percent": 50}, format="json")
    assert changed.status_code == 200 and changed.json()["id"] == created.json()["id"]
    patched = api.patch(f"{URL}{created.json()['id']}/", {"note": "Mostly detail"}, format="json")
    assert patched.status_code == 200 and patched.json()["strategic_percent"] == 50
    assert WeeklySplit.objects.get().note == "Mostly detail"


def test_a_closed_week_is_a_409_with_a_clear_message(api, carol, groups):
    api.force_authenticate(carol)
    old = entry(carol, weeks_ago=2)
    response = api.post(URL, {"week": old.week.isoformat(), "strategic_percent": 10}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "week_closed"
    assert "until the end of the following week" in response.json()["message"]
    patched = api.patch(f"{URL}{old.pk}/", {"strategic_percent": 10}, format="json")
    assert patched.status_code == 409
    assert WeeklySplit.objects.get().strategic_percent == 40


@pytest.mark.parametrize(
    "body",
    [
        {"week": "not-a-date", "strategic_percent": 10},
        {"strategic_percent": 10},
        {"week": "2026-11-11", "strategic_percent": 10},  # a Wednesday
        {"week": "MONDAY", "strategic_percent": 101},
        {"week": "MONDAY", "strategic_percent": "lots"},
        {"week": "MONDAY", "strategic_percent": 10, "note": "x" * 1001},
        {"week": "MONDAY", "strategic_percent": 10, "note": 5},
    ],
)
def test_bad_input_is_a_400_with_the_field_and_writes_nothing(api, carol, groups, body):
    api.force_authenticate(carol)
    if body.get("week") == "MONDAY":
        body = {**body, "week": this_monday().isoformat()}
    response = api.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid" and response.json()["fields"]
    assert not WeeklySplit.objects.exists()


def test_nobody_writes_someone_elses_week(api, carol, dan, erin, groups):
    mine = entry(carol)
    api.force_authenticate(dan)
    assert api.patch(f"{URL}{mine.pk}/", {"strategic_percent": 0}, format="json").status_code == 404
    api.force_authenticate(erin)
    body = {"week": this_monday().isoformat(), "strategic_percent": 10}
    assert api.post(URL, body, format="json").status_code == 403
    assert WeeklySplit.objects.get().strategic_percent == 40


def test_hr_systems_read_with_people_read_and_never_write(client_with_scopes, carol, dan, groups):
    entry(carol), entry(dan, weeks_ago=1)
    reader = client_with_scopes("people:read")
    assert reader.get(URL).json()["count"] == 2
    assert client_with_scopes("pilots:read").get(URL).status_code == 403
    body = {"week": this_monday().isoformat(), "strategic_percent": 10}
    assert (
        client_with_scopes("people:read", "people:write").post(URL, body, format="json").status_code
        == 403
    )


def test_filters_by_person_and_week(client_with_scopes, carol, dan, groups):
    entry(carol), entry(carol, weeks_ago=1), entry(dan)
    reader = client_with_scopes("people:read")
    assert reader.get(URL, {"person": "p-carol"}).json()["count"] == 2
    assert reader.get(URL, {"week": this_monday().isoformat()}).json()["count"] == 2
    earlier = (this_monday() - timedelta(weeks=1)).isoformat()
    assert reader.get(URL, {"week_to": earlier}).json()["count"] == 1
    assert reader.get(URL, {"week": "monday"}).status_code == 400


def test_who_reads_whose_weeks(api, alice, bob, carol, dan, erin, hilda, mallory, groups, pilot):
    entry(carol), entry(dan)
    expected = {alice: 2, hilda: 2, bob: 2, carol: 1, dan: 1, erin: 0, mallory: 0}
    for user, count in expected.items():
        api.force_authenticate(user)
        assert api.get(URL).json()["count"] == count, user


def test_the_list_costs_the_same_number_of_queries_at_any_size(
    client_with_scopes, carol, dan, groups, django_assert_num_queries
):
    reader = client_with_scopes("people:read")
    entry(carol)
    reader.get(URL)
    # 1 the token with its client (its last use is recorded at most once a minute),
    # 2 count and 3 the page with each entry's person joined
    with django_assert_num_queries(3) as first:
        reader.get(URL)
    for weeks_ago in range(1, 20):
        entry(carol, weeks_ago=weeks_ago), entry(dan, weeks_ago=weeks_ago)
    with django_assert_num_queries(len(first)):
        assert len(reader.get(URL).json()["results"]) == 39

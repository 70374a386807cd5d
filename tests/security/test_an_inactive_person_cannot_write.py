"""A person who left, or was deprovisioned, tries to write with what they still hold: a
request already authenticated (an API session, a stale login object in a running request),
a page left open, a login whose person was marked inactive around the services. Every write
service refuses with 403 `person_inactive` and a clear message; nothing changes."""

import pytest
from django.contrib.auth.models import User

from coaching import services as coaching
from goals.services import pilot_goals_set
from metrics.baselines import baseline_rebaseline
from metrics.models import MetricDefinition
from people.models import Person
from people.permissions import PersonInactive
from people.services import person_deactivate
from pilots import services, workgroups
from pilots.models import Pilot, Workgroup
from tests.pilots.conftest import make_pilot, make_workgroup, running_pilot

pytestmark = pytest.mark.django_db


def _left(user) -> None:
    """Marked inactive by a write that went around the services: the login still works."""
    Person.objects.filter(user=user).update(active=False)


def test_a_deprovisioned_sponsor_cannot_write_through_a_running_request(bob, carol):
    pilot = make_pilot(bob)
    person_deactivate(person=bob.person)  # `bob` below is the request's stale user object
    writes = [
        lambda: services.pilot_update(pilot=pilot, by=bob, data={"name": "Late"}),
        lambda: workgroups.workgroup_create(pilot=pilot, by=bob, name="x", supervisor=carol.person),
        lambda: services.pilot_stop(pilot=pilot, by=bob, reason="gone"),
        lambda: pilot_goals_set(pilot=pilot, goals=[], by=bob),
        lambda: services.pilot_create(
            by=bob, name="n", approach="job_redesign", vision="v", pain_point="p",
            demonstration_project="d", planned_start=pilot.planned_start,
            review_date=pilot.review_date,
        ),
    ]  # fmt: skip
    for write in writes:
        with pytest.raises(PersonInactive) as caught:
            write()
        assert caught.value.code == "person_inactive" and caught.value.status == 403
    pilot.refresh_from_db()
    assert (pilot.name, pilot.status, Pilot.objects.count()) == ("Claims pilot", "draft", 1)


def test_a_deprovisioned_supervisor_cannot_sign_coach_or_be_protected_by_writes(bob, carol):
    pilot = make_pilot(bob)
    group = make_workgroup(pilot, bob, carol)
    person_deactivate(person=carol.person)
    with pytest.raises(PersonInactive):
        workgroups.charter_sign(
            workgroup=group, by=carol, open_minded=True, risk_tolerant=True,
            customer_commitment=True,
        )  # fmt: skip
    with pytest.raises(PersonInactive):
        coaching.cycle_start(workgroup=group, by=carol)
    assert not group.cycles.exists()


def test_a_deprovisioned_sponsors_open_api_session_cannot_write(api, bob, carol):
    pilot = make_pilot(bob)
    api.force_authenticate(bob)  # authenticated before the deprovisioning, as a live request
    person_deactivate(person=bob.person)
    response = api.patch(f"/api/v1/pilots/{pilot.pk}/", {"name": "Late"}, format="json")
    assert response.status_code == 403
    answer = response.json()
    assert answer["code"] == "person_inactive" and "inactive" in answer["message"]
    body = {"pilot": pilot.pk, "name": "x", "supervisor": carol.person.external_id}
    assert api.post("/api/v1/workgroups/", body, format="json").json()["code"] == (
        "person_inactive"
    )
    assert not Workgroup.objects.exists()


def test_a_page_left_open_by_someone_who_left_cannot_post(client, bob, carol):
    pilot = make_pilot(bob)
    client.force_login(bob)
    _left(bob)
    body = {"name": "Late group", "supervisor": carol.person.pk, "cadence_days": "14"}
    response = client.post(f"/pilots/{pilot.pk}/workgroups/", body)
    assert response.status_code == 403
    assert not Workgroup.objects.exists()


def test_after_deprovisioning_the_session_is_gone_and_the_form_goes_to_login(client, bob):
    pilot = make_pilot(bob)
    client.force_login(bob)
    person_deactivate(person=bob.person)
    response = client.post(f"/pilots/{pilot.pk}/move/stop/", {"reason": "gone"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    pilot.refresh_from_db()
    assert pilot.status == "draft"


def test_a_sponsor_who_left_cannot_rebaseline(bob, carol):
    pilot = running_pilot(bob, carol)
    cases = MetricDefinition.objects.create(
        key="cases", name="Cases", unit="cases", kind="performance",
        direction="higher_is_better", aggregation="mean",
    )  # fmt: skip
    _left(bob)
    with pytest.raises(PersonInactive):
        baseline_rebaseline(pilot=pilot, person=carol.person, metric=cases, by=bob, reason="x")


def test_a_disabled_login_without_an_inactive_person_is_refused_too(bob):
    pilot = make_pilot(bob)
    User.objects.filter(pk=bob.pk).update(is_active=False)
    bob.refresh_from_db()
    with pytest.raises(PersonInactive):
        services.pilot_update(pilot=pilot, by=bob, data={"name": "Late"})

"""A sponsor tries to sit in their own pilot's workgroups (as supervisor or member), where
they would choose the baseline window and confirm the assurance that protects themselves.
Refused in the service, on the page (a form error) and over the API (400, error shape)."""

import pytest
from django.contrib.auth.models import User

from pilots import services, workgroups
from pilots.models import Charter, Workgroup, WorkgroupMember
from pilots.permissions import SponsorInWorkgroup
from tests.pilots.conftest import approve, complete_charter, make_pilot, make_workgroup

pytestmark = pytest.mark.django_db


def test_a_sponsor_cannot_name_themselves_supervisor_through_the_service(bob):
    pilot = make_pilot(bob)
    with pytest.raises(SponsorInWorkgroup) as caught:
        workgroups.workgroup_create(pilot=pilot, by=bob, name="Mine", supervisor=bob.person)
    assert caught.value.code == "sponsor_in_workgroup" and "supervisor" in caught.value.fields
    assert not Workgroup.objects.exists()


def test_a_sponsor_cannot_name_themselves_supervisor_on_the_page(client, bob):
    pilot = make_pilot(bob)
    client.force_login(bob)
    body = {"name": "Mine", "supervisor": bob.person.pk, "cadence_days": "14"}
    response = client.post(f"/pilots/{pilot.pk}/workgroups/", body)
    assert response.status_code == 400
    assert "sponsor cannot be in its workgroups" in response.content.decode()
    assert not Workgroup.objects.exists()


def test_a_sponsor_cannot_name_themselves_supervisor_over_the_api(api, bob):
    pilot = make_pilot(bob)
    api.force_authenticate(bob)
    body = {"pilot": pilot.pk, "name": "Mine", "supervisor": bob.person.external_id}
    response = api.post("/api/v1/workgroups/", body, format="json")
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "sponsor_in_workgroup" and "supervisor" in answer["fields"]
    assert answer["message"]
    assert not Workgroup.objects.exists()


def test_a_superuser_cannot_make_the_sponsor_supervise_either(bob):
    root = User.objects.create_superuser("root", password="x-very-long-pw")
    pilot = make_pilot(bob)
    with pytest.raises(SponsorInWorkgroup):
        workgroups.workgroup_create(pilot=pilot, by=root, name="x", supervisor=bob.person)


def test_a_sponsor_cannot_join_their_own_workgroup_as_a_member(client, bob, carol):
    pilot = make_pilot(bob)
    group = make_workgroup(pilot, bob, carol)
    with pytest.raises(SponsorInWorkgroup):
        workgroups.workgroup_member_add(workgroup=group, by=bob, person=bob.person)
    client.force_login(bob)
    response = client.post(f"/pilots/workgroups/{group.pk}/members/", {"person": bob.person.pk})
    assert response.status_code == 302  # back to the page, with the refusal as a message
    shown = client.get(response["Location"]).content.decode()
    assert "cannot also be a member" in shown
    assert not WorkgroupMember.objects.filter(person=bob.person).exists()


def test_a_pilot_whose_sponsor_sits_in_a_workgroup_cannot_start(alice, bob, carol):
    """Written around the services (an old row, a raw write): the start still refuses."""
    pilot = make_pilot(bob)
    group = make_workgroup(pilot, bob, carol)
    complete_charter(group, bob, carol)
    WorkgroupMember.objects.create(workgroup=group, person=bob.person)
    approve(pilot, bob)
    with pytest.raises(SponsorInWorkgroup):
        services.pilot_start(pilot=pilot, by=bob)
    pilot.refresh_from_db()
    assert pilot.status == "approved"


def test_a_sponsor_who_supervises_cannot_confirm_their_own_assurance(bob):
    pilot = make_pilot(bob)
    group = Workgroup.objects.create(pilot=pilot, name="Old row", supervisor=bob.person)
    Charter.objects.create(workgroup=group)
    with pytest.raises(Exception, match="never for themselves"):
        workgroups.charter_confirm_assurance(workgroup=group, by=bob)
    assert Charter.objects.get(workgroup=group).assurance_confirmed_at is None

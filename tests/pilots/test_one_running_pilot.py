"""A person sits in at most one running pilot: the service says who, the database insists."""

import pytest
from django.db import IntegrityError, transaction

from core.errors import DomainError
from pilots import services, workgroups
from pilots.models import PilotStatus, RunningAssignment
from tests.pilots.conftest import (
    approve,
    complete_charter,
    make_pilot,
    make_workgroup,
    running_pilot,
)

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_running_seat(bob, carol, erin, dan):
    running_pilot(bob, carol, members=[erin])
    other = running_pilot(bob, dan, name="Billing pilot")
    with pytest.raises(IntegrityError), transaction.atomic():
        RunningAssignment.objects.create(person=erin.person, workgroup=other.workgroups.get())


def test_starting_a_pilot_with_someone_already_running_names_them(bob, carol, dan, erin):
    running_pilot(bob, carol, members=[erin])
    second = make_pilot(bob, name="Billing pilot")
    group = make_workgroup(second, bob, dan, name="Billing", members=[erin])
    complete_charter(group, bob, dan)
    approve(second, bob)
    with pytest.raises(DomainError, match="Erin is already in the running pilot") as caught:
        services.pilot_start(pilot=second, by=bob)
    assert caught.value.code == "already_running"
    second.refresh_from_db()
    assert second.status == PilotStatus.APPROVED and second.started_at is None
    assert RunningAssignment.objects.filter(workgroup=group).count() == 0


def test_adding_a_member_to_a_running_pilot_takes_a_seat(bob, carol, erin):
    pilot = running_pilot(bob, carol)
    group = pilot.workgroups.get()
    workgroups.workgroup_member_add(workgroup=group, by=bob, person=erin.person)
    assert RunningAssignment.objects.get(person=erin.person).workgroup == group


def test_adding_someone_already_running_elsewhere_is_refused(bob, carol, dan, erin):
    running_pilot(bob, carol, members=[erin])
    other = running_pilot(bob, dan, name="Billing pilot")
    with pytest.raises(DomainError, match="Erin is already in the running pilot"):
        workgroups.workgroup_member_add(
            workgroup=other.workgroups.get(), by=bob, person=erin.person
        )
    assert not other.workgroups.get().memberships.exists()


def test_removing_a_member_frees_their_seat(bob, carol, erin):
    pilot = running_pilot(bob, carol, members=[erin])
    workgroups.workgroup_member_remove(workgroup=pilot.workgroups.get(), by=bob, person=erin.person)
    assert not RunningAssignment.objects.filter(person=erin.person).exists()


def test_after_a_pilot_ends_its_people_may_join_another(bob, carol, dan, erin):
    first = running_pilot(bob, carol, members=[erin])
    services.pilot_stop(pilot=first, by=bob, reason="Merged")
    second = running_pilot(bob, dan, members=[erin], name="Billing pilot")
    assert RunningAssignment.objects.get(person=erin.person).workgroup.pilot == second

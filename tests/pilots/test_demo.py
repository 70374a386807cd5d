"""The pilots demo: every state and both approaches, replayed through the services."""

import pytest
from django.core.management import call_command

from pilots.models import Approach, Pilot, PilotStatus, RunningAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("seed_demo", "--people", "120", "--pilots", "8")
    return capsys.readouterr().out


def test_the_demo_has_pilots_in_every_state_and_both_approaches(demo):
    assert set(Pilot.objects.values_list("status", flat=True)) == set(PilotStatus.values)
    assert set(Pilot.objects.values_list("approach", flat=True)) == set(Approach.values)


def test_the_demo_supervisors_and_member_are_in_running_pilots(demo):
    seats = dict(
        RunningAssignment.objects.filter(
            person__user__username__in=["supervisor", "supervisor2", "member"]
        ).values_list("person__user__username", "workgroup__pilot__status")
    )
    assert seats == {"supervisor": "running", "supervisor2": "running", "member": "running"}
    member = RunningAssignment.objects.get(person__user__username="member").workgroup
    assert member.supervisor.user.username == "supervisor"


def test_the_demo_history_is_back_dated_and_tells_the_stories(demo):
    stopped = Pilot.objects.get(status=PilotStatus.STOPPED)
    assert stopped.premature_stop and stopped.transitions.last().reason
    scaled = Pilot.objects.get(status=PilotStatus.SCALED)
    assert list(scaled.decisions.values_list("decision", flat=True)) == ["adapt", "scale"]
    started = scaled.transitions.get(to_status="running", from_status="approved").at
    assert started == scaled.started_at and scaled.started_at < scaled.ended_at


def test_running_the_demo_twice_adds_no_pilot(demo):
    before = Pilot.objects.count()
    call_command("seed_demo", "--people", "120", "--pilots", "8")
    assert Pilot.objects.count() == before == 8

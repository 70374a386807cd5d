"""The pilot lifecycle: allowed moves, who may take them, premature stops and the decision."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError, NotAllowed, StateConflict
from hrapi.models import WebhookDelivery, WebhookSubscription
from pilots import lifecycle, services
from pilots.models import (
    Decision,
    PilotStatus,
    PilotTransition,
    RunningAssignment,
    ScaleDecision,
)
from tests.pilots.conftest import approve, running_pilot

pytestmark = pytest.mark.django_db


def test_the_table_allows_exactly_the_documented_moves():
    table = {name: (sorted(m.sources), m.target) for name, m in lifecycle.MOVES.items()}
    assert table == {
        "approve": (["draft"], "approved"),
        "start": (["approved"], "running"),
        "review": (["running"], "reviewing"),
        "stop": (["approved", "draft", "reviewing", "running"], "stopped"),
        "scale": (["reviewing"], "scaled"),
        "adapt": (["reviewing"], "running"),
    }


def test_every_move_is_recorded_with_who_when_and_why(alice, ready_pilot, bob):
    at = timezone.now() - timedelta(days=3)
    services.pilot_start(pilot=ready_pilot, by=bob, at=at, reason="Go")
    moves = list(PilotTransition.objects.filter(pilot=ready_pilot).order_by("id").values_list(
        "from_status", "to_status", "by__username", "reason"
    ))  # fmt: skip
    assert moves == [
        ("draft", "approved", "alice", ""),
        ("approved", "running", "bob", "Go"),
    ]
    assert ready_pilot.transitions.get(to_status="running").at == at


@pytest.mark.parametrize("status", ["running", "reviewing", "scaled", "stopped"])
def test_approving_is_refused_unless_the_pilot_is_a_draft(pilot, bob, status):
    pilot.status = status
    pilot.save()
    with pytest.raises(StateConflict, match="Cannot approve a pilot that is"):
        services.pilot_approve(pilot=pilot, by=bob)


def test_a_draft_cannot_start_before_approval(pilot, workgroup, bob):
    with pytest.raises(StateConflict, match="only from approved"):
        services.pilot_start(pilot=pilot, by=bob)


def test_only_the_sponsor_takes_lifecycle_moves(pilot, alice, carol):
    for user in (alice, carol):
        with pytest.raises(NotAllowed):
            services.pilot_stop(pilot=pilot, by=user)
    with pytest.raises(NotAllowed):
        services.pilot_approve(pilot=pilot, by=carol)  # approval: a portfolio leader's
    assert pilot.transitions.count() == 0


def test_starting_takes_seats_sets_started_at_and_publishes_the_event(ready_pilot, bob):
    WebhookSubscription.objects.create(
        client=_client(), url="https://hr.example/hook", events=["pilot.started"]
    )
    services.pilot_start(pilot=ready_pilot, by=bob)
    ready_pilot.refresh_from_db()
    assert ready_pilot.status == PilotStatus.RUNNING and ready_pilot.started_at
    seated = set(RunningAssignment.objects.values_list("person__external_id", flat=True))
    assert seated == {"P-CAROL", "P-ERIN"}
    assert WebhookDelivery.objects.filter(event="pilot.started").count() == 1


def _client():
    from hrapi.services import api_client_create

    return api_client_create(name="hooks", scopes=["pilots:read"])[0]


def test_a_pilot_without_workgroups_cannot_be_approved(pilot, bob):
    with pytest.raises(StateConflict, match="at least one workgroup") as caught:
        approve(pilot, bob)
    assert caught.value.code == "no_workgroups"


def test_stopping_before_the_patience_horizon_needs_a_reason(bob, carol):
    pilot = running_pilot(bob, carol, at=timezone.now() - timedelta(weeks=4))
    with pytest.raises(DomainError, match="needs a written reason") as caught:
        services.pilot_stop(pilot=pilot, by=bob, reason="  ")
    assert "reason" in caught.value.fields
    services.pilot_stop(pilot=pilot, by=bob, reason="The unit is being merged.")
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.STOPPED and pilot.premature_stop and pilot.ended_at
    assert not RunningAssignment.objects.exists()


def test_stopping_after_the_patience_horizon_is_not_premature(bob, carol):
    pilot = running_pilot(bob, carol, at=timezone.now() - timedelta(weeks=30))
    services.pilot_review(pilot=pilot, by=bob)
    services.pilot_stop(pilot=pilot, by=bob)
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.STOPPED and not pilot.premature_stop


def test_a_draft_may_be_stopped_without_a_reason(pilot, bob):
    services.pilot_stop(pilot=pilot, by=bob)
    assert pilot.status == PilotStatus.STOPPED and not pilot.premature_stop


def test_scaling_records_the_decision_and_frees_the_people(bob, carol, org):
    pilot = running_pilot(bob, carol, at=timezone.now() - timedelta(weeks=30))
    services.pilot_review(pilot=pilot, by=bob)
    services.pilot_decide(
        pilot=pilot,
        by=bob,
        decision=Decision.SCALE,
        lessons_learned="Triage at the door halves waiting.",
        capabilities_built="Daily huddles",
        spread_to=[org],
    )
    pilot.refresh_from_db()
    decision = ScaleDecision.objects.get(pilot=pilot)
    assert pilot.status == PilotStatus.SCALED and pilot.ended_at
    assert list(decision.spread_to.all()) == [org]
    assert not RunningAssignment.objects.exists()


def test_scaling_needs_somewhere_to_spread_to(bob, carol):
    pilot = running_pilot(bob, carol)
    services.pilot_review(pilot=pilot, by=bob)
    with pytest.raises(DomainError, match="spread to"):
        services.pilot_decide(pilot=pilot, by=bob, decision="scale", lessons_learned="x")


def test_adapting_sends_the_pilot_back_to_running_with_its_seats(bob, carol):
    pilot = running_pilot(bob, carol)
    services.pilot_review(pilot=pilot, by=bob)
    services.pilot_decide(pilot=pilot, by=bob, decision="adapt", lessons_learned="Narrow it.")
    assert pilot.status == PilotStatus.RUNNING
    assert RunningAssignment.objects.count() == 1


def test_a_stop_decision_at_an_early_review_is_premature(bob, carol):
    pilot = running_pilot(bob, carol, at=timezone.now() - timedelta(weeks=10))
    services.pilot_review(pilot=pilot, by=bob)
    services.pilot_decide(pilot=pilot, by=bob, decision="stop", lessons_learned="Wrong group.")
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.STOPPED and pilot.premature_stop


def test_decisions_are_taken_only_at_review(bob, carol):
    pilot = running_pilot(bob, carol)
    with pytest.raises(StateConflict):
        services.pilot_decide(pilot=pilot, by=bob, decision="adapt", lessons_learned="x")


def test_an_unknown_decision_is_a_clear_error(bob, carol):
    pilot = running_pilot(bob, carol)
    services.pilot_review(pilot=pilot, by=bob)
    with pytest.raises(DomainError, match="scale, adapt or stop"):
        services.pilot_decide(pilot=pilot, by=bob, decision="maybe", lessons_learned="x")


def test_the_viewer_sees_only_the_moves_they_may_take(pilot, bob, carol):
    assert [m.name for m in lifecycle.available_moves(bob, pilot)] == ["stop"]
    assert lifecycle.available_moves(carol, pilot) == []


def test_a_start_is_one_change_in_the_audit_history(ready_pilot, bob):
    before = ready_pilot.history.count()
    services.pilot_start(pilot=ready_pilot, by=bob)
    assert ready_pilot.history.count() == before + 1
    assert ready_pilot.history.first().started_at is not None

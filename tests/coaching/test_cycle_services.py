"""Cycle services: numbering, the four stages in order, no skipping, no reopening,
abandonment, and each new cycle starting from the last adaptation."""

import pytest

from coaching import services
from coaching.models import Cycle, Stage
from core.errors import DomainError, NotAllowed, StateConflict
from metrics.models import MetricDefinition, Observation
from pilots.models import PilotStatus

from .conftest import make_pilot, make_workgroup, run_full_cycle

pytestmark = pytest.mark.django_db


def test_the_supervisor_starts_cycle_one_at_the_data_stage(workgroup, carol):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    assert (cycle.number, cycle.stage, cycle.previous) == (1, Stage.DATA, None)
    assert cycle.started_by == carol


def test_only_the_workgroups_supervisor_may_start_a_cycle(workgroup, dan, bob):
    for user in (dan, bob):
        with pytest.raises(NotAllowed):
            services.cycle_start(workgroup=workgroup, by=user)


@pytest.mark.parametrize("status", [PilotStatus.APPROVED, PilotStatus.REVIEWING])
def test_a_cycle_starts_only_while_the_pilot_is_running(bob, carol, status):
    workgroup = make_workgroup(make_pilot(bob, status=status), carol)
    with pytest.raises(StateConflict) as refused:
        services.cycle_start(workgroup=workgroup, by=carol)
    assert refused.value.code == "pilot_not_running"


def test_a_second_open_cycle_is_refused(workgroup, carol):
    services.cycle_start(workgroup=workgroup, by=carol)
    with pytest.raises(StateConflict) as refused:
        services.cycle_start(workgroup=workgroup, by=carol)
    assert refused.value.code == "cycle_already_open"


def test_the_stages_move_in_order_and_stamp_each_stage(workgroup, carol):
    cycle = run_full_cycle(workgroup, carol)
    assert cycle.stage == Stage.COMPLETED
    stamps = [cycle.data_done_at, cycle.action_done_at, cycle.reflection_done_at]
    stamps.append(cycle.adaptation_done_at)
    assert all(stamps) and stamps == sorted(stamps)


def test_the_next_cycle_starts_from_the_last_adaptation(workgroup, carol):
    first = run_full_cycle(workgroup, carol, changes_next="Stand-up at nine, not ten.")
    second = services.cycle_start(workgroup=workgroup, by=carol)
    assert (second.number, second.previous) == (2, first)
    assert second.starting_point == "Stand-up at nine, not ten."


def test_after_an_abandoned_cycle_the_next_starts_from_the_last_completed_one(workgroup, carol):
    first = run_full_cycle(workgroup, carol)
    second = services.cycle_start(workgroup=workgroup, by=carol)
    services.cycle_abandon(cycle=second, by=carol, reason="Half the team was out sick.")
    third = services.cycle_start(workgroup=workgroup, by=carol)
    assert (third.number, third.previous) == (3, first)


def test_a_stage_cannot_be_skipped(workgroup, carol):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    with pytest.raises(StateConflict) as refused:
        services.cycle_complete_stage(cycle=cycle, by=carol, stage=Stage.REFLECTION)
    assert refused.value.code == "stage_skipped"
    with pytest.raises(StateConflict):
        services.cycle_add_action(cycle=cycle, by=carol, description="Too early", kind="task")


def test_a_done_stage_cannot_be_reopened(workgroup, carol):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    services.cycle_save_data(cycle=cycle, by=carol, data_sought="Backlog by age")
    services.cycle_complete_stage(cycle=cycle, by=carol, stage=Stage.DATA)
    with pytest.raises(StateConflict) as refused:
        services.cycle_complete_stage(cycle=cycle, by=carol, stage=Stage.DATA)
    assert refused.value.code == "stage_already_done"
    with pytest.raises(StateConflict):
        services.cycle_save_data(cycle=cycle, by=carol, data_sought="Rewritten")


def test_each_stage_needs_its_content_before_moving_on(workgroup, carol):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    with pytest.raises(DomainError) as refused:
        services.cycle_complete_stage(cycle=cycle, by=carol)
    assert "data_sought" in refused.value.fields
    services.cycle_save_data(cycle=cycle, by=carol, data_sought="Backlog by age")
    services.cycle_complete_stage(cycle=cycle, by=carol)
    with pytest.raises(DomainError) as refused:
        services.cycle_complete_stage(cycle=cycle, by=carol)
    assert "actions" in refused.value.fields
    services.cycle_add_action(cycle=cycle, by=carol, description="Shadow intake", kind="task")
    services.cycle_complete_stage(cycle=cycle, by=carol)
    services.cycle_save_reflection(cycle=cycle, by=carol, learned="Intake is fine")
    with pytest.raises(DomainError) as refused:
        services.cycle_complete_stage(cycle=cycle, by=carol)
    assert set(refused.value.fields) == {"confidence"}


@pytest.mark.parametrize("confidence", [-1, 11])
def test_confidence_is_from_zero_to_ten(workgroup, carol, confidence):
    cycle = run_full_cycle(workgroup, carol)
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.REFLECTION)
    with pytest.raises(DomainError):
        services.cycle_save_reflection(cycle=cycle, by=carol, learned="x", confidence=confidence)


def test_abandoning_needs_a_reason_and_closes_the_cycle(workgroup, carol):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    with pytest.raises(DomainError):
        services.cycle_abandon(cycle=cycle, by=carol, reason="  ")
    services.cycle_abandon(cycle=cycle, by=carol, reason="Reorganisation paused the team.")
    cycle.refresh_from_db()
    assert cycle.stage == Stage.ABANDONED and cycle.abandoned_at
    with pytest.raises(StateConflict):
        services.cycle_abandon(cycle=cycle, by=carol, reason="Again")
    with pytest.raises(StateConflict):
        services.cycle_complete_stage(cycle=cycle, by=carol)


def test_action_owners_belong_to_the_workgroup(workgroup, carol, erin, mallory):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    services.cycle_save_data(cycle=cycle, by=carol, data_sought="x")
    services.cycle_complete_stage(cycle=cycle, by=carol)
    action = services.cycle_add_action(
        cycle=cycle, by=carol, description="Map handoffs", kind="task", owner=erin.person
    )
    assert action.owner == erin.person
    with pytest.raises(DomainError):
        services.cycle_add_action(
            cycle=cycle, by=carol, description="x", kind="task", owner=mallory.person
        )
    with pytest.raises(DomainError):
        services.cycle_add_action(cycle=cycle, by=carol, description="x", kind="chores")


def test_only_observations_of_the_workgroup_can_be_linked(workgroup, carol, mallory):
    metric = MetricDefinition.objects.create(
        key="backlog",
        name="Backlog",
        unit="items",
        kind="efficiency",
        direction="lower_is_better",
        aggregation="last",
    )
    ours = Observation.objects.create(
        metric=metric,
        subject_type="workgroup",
        subject_id=workgroup.pk,
        period_start="2026-10-01",
        period_end="2026-10-31",
        value=4,
        source="t",
    )
    theirs = Observation.objects.create(
        metric=metric,
        subject_type="person",
        subject_id=mallory.person.pk,
        period_start="2026-10-01",
        period_end="2026-10-31",
        value=9,
        source="t",
    )
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    with pytest.raises(DomainError) as refused:
        services.cycle_save_data(
            cycle=cycle, by=carol, data_sought="x", observation_ids=[ours.pk, theirs.pk]
        )
    assert "observation_ids" in refused.value.fields
    services.cycle_save_data(cycle=cycle, by=carol, data_sought="x", observation_ids=[ours.pk])
    assert list(cycle.observations.all()) == [ours]


def test_performance_observations_cannot_be_linked(workgroup, carol):
    """They are the supervisor's protected review figures, and sponsors read cycles."""
    metric = MetricDefinition.objects.create(
        key="cases-closed",
        name="Cases closed",
        unit="cases",
        kind="performance",
        direction="higher_is_better",
        aggregation="sum",
    )
    own = Observation.objects.create(
        metric=metric,
        subject_type="person",
        subject_id=carol.person.pk,
        period_start="2026-10-01",
        period_end="2026-10-31",
        value=40,
        source="t",
    )
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    with pytest.raises(DomainError):
        services.cycle_save_data(cycle=cycle, by=carol, data_sought="x", observation_ids=[own.pk])

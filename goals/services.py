"""Writes to goals: create, change and delete goals, add and remove "contributes to" links,
and set the goals a pilot serves. Every write asks goals.permissions first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from core.errors import DomainError, NotAllowed, StateConflict
from goals.models import LEVEL_RANK, Goal, GoalContribution, GoalLevel, PilotGoal
from goals.permissions import (
    can_link_contribution,
    can_manage_goal,
    can_manage_unit,
    can_set_pilot_goals,
    unit_subtrees,
)
from metrics.models import Direction, MetricDefinition
from people.models import OrgUnit, Person
from people.permissions import refuse_inactive
from pilots.models import Pilot

# What goal_update may change; anything else in `data` is ignored.
EDITABLE_FIELDS = (
    "title",
    "description",
    "level",
    "parent",
    "org_unit",
    "pilot",
    "owner",
    "period_start",
    "period_end",
    "metric",
    "start_value",
    "target_value",
)


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(message, code="invalid", fields={field: [message]})


def _check_values(goal: Goal) -> None:
    if goal.period_end < goal.period_start:
        raise _invalid("period_end", "The period must end on or after its start.")
    if goal.target_value == goal.start_value:
        raise _invalid("target_value", "The target must differ from the start value.")
    higher = goal.metric.direction == Direction.HIGHER_IS_BETTER
    if higher != (goal.target_value > goal.start_value):
        better = "above" if higher else "below"
        raise _invalid(
            "target_value",
            f"{goal.metric.name} is {goal.metric.get_direction_display().lower()}: "
            f"the target must be {better} the start value.",
        )
    if not goal.metric.active:
        raise _invalid("metric", "This metric is no longer in use: choose an active one.")
    if not goal.owner.active:
        raise _invalid("owner", f"{goal.owner} is no longer active: choose someone else.")


def _check_level(goal: Goal) -> None:
    if goal.level == GoalLevel.PILOT:
        if goal.pilot_id is None:
            raise _invalid("pilot", "A pilot goal names its pilot.")
    elif goal.pilot_id is not None:
        raise _invalid("pilot", "Only pilot goals name a pilot; leave it empty.")


def _check_parent(goal: Goal) -> None:
    """The parent sits at the goal's level or above, its unit contains the goal's unit,
    its period contains the goal's period, and it is not the goal or one of its sub-goals."""
    parent = goal.parent
    if parent is None:
        return
    if goal.pk and Goal.objects.descendants(goal, include_self=True).filter(pk=parent.pk).exists():
        raise _invalid("parent", "A goal cannot sit under itself or one of its sub-goals.")
    if LEVEL_RANK[goal.level] < LEVEL_RANK[parent.level]:
        raise _invalid(
            "level",
            f"A {goal.get_level_display().lower()} goal cannot sit under a "
            f"{parent.get_level_display().lower()} goal: goals cascade downwards.",
        )
    if goal.org_unit_id not in unit_subtrees({parent.org_unit_id}):
        raise _invalid(
            "org_unit",
            f"The goal's org unit must be {parent.org_unit} or a unit below it, "
            "like its parent goal's.",
        )
    if goal.period_start < parent.period_start or goal.period_end > parent.period_end:
        raise _invalid(
            "period_start",
            f"The period must lie inside the parent goal's ({parent.period_start:%d %b %Y} – "
            f"{parent.period_end:%d %b %Y}).",
        )


def _check_children(goal: Goal) -> None:
    """A changed goal must still hold its sub-goals: their level, unit and period."""
    if not goal.pk:
        return
    subtree = unit_subtrees({goal.org_unit_id})
    for child in Goal.objects.filter(parent=goal).only(
        "title", "level", "org_unit_id", "period_start", "period_end"
    ):
        if (
            LEVEL_RANK[child.level] < LEVEL_RANK[goal.level]
            or child.org_unit_id not in subtree
            or child.period_start < goal.period_start
            or child.period_end > goal.period_end
        ):
            raise _invalid(
                "level",
                f"The sub-goal “{child.title}” would no longer fit under this goal (its level, "
                "org unit or period): change or move it first.",
            )


def _check(goal: Goal) -> None:
    _check_level(goal)
    _check_values(goal)
    _check_parent(goal)
    _check_children(goal)


def _pilot_unit(level: str, pilot: Pilot | None, org_unit: OrgUnit | None) -> OrgUnit | None:
    """A pilot goal belongs to its pilot's org unit unless one is given."""
    if org_unit is None and level == GoalLevel.PILOT and pilot is not None:
        return pilot.org_unit
    return org_unit


@transaction.atomic
def goal_create(
    *,
    by,
    title: str,
    level: str,
    org_unit: OrgUnit | None,
    owner: Person,
    period_start: dt.date,
    period_end: dt.date,
    metric: MetricDefinition,
    start_value: Decimal,
    target_value: Decimal,
    parent: Goal | None = None,
    pilot: Pilot | None = None,
    description: str = "",
) -> Goal:
    org_unit = _pilot_unit(level, pilot, org_unit)
    if org_unit is None:
        raise _invalid("org_unit", "Choose the org unit this goal is for.")
    refuse_inactive(by)
    if not can_manage_unit(by, org_unit.pk):
        raise NotAllowed(f"You may not set goals for {org_unit}.")
    goal = Goal(
        title=title,
        description=description,
        level=level,
        parent=parent,
        org_unit=org_unit,
        pilot=pilot,
        owner=owner,
        period_start=period_start,
        period_end=period_end,
        metric=metric,
        start_value=start_value,
        target_value=target_value,
        created_by=by,
    )
    _check(goal)
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, by, data: dict) -> Goal:
    """Change a goal; moving it to another unit needs rights over both units."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    refuse_inactive(by)
    if not can_manage_goal(by, goal):
        raise NotAllowed("You may not change this goal.")
    changes = {key: value for key, value in data.items() if key in EDITABLE_FIELDS}
    for key, value in changes.items():
        setattr(goal, key, value)
    if "org_unit" in changes or "level" in changes or "pilot" in changes:
        goal.org_unit = _pilot_unit(goal.level, goal.pilot, goal.org_unit) or goal.org_unit
    if not can_manage_unit(by, goal.org_unit_id):
        raise NotAllowed(f"You may not move goals to {goal.org_unit}.")
    _check(goal)
    if changes:
        goal.save()
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal, by) -> None:
    refuse_inactive(by)
    if not can_manage_goal(by, goal):
        raise NotAllowed("You may not delete this goal.")
    if goal.children.exists():
        raise StateConflict(
            "This goal has sub-goals: move or delete them first.", code="goal_has_children"
        )
    goal.delete()


def _branch_ids(goal: Goal) -> set[int]:
    ancestors = Goal.objects.ancestors(goal, include_self=True).values_list("pk", flat=True)
    descendants = Goal.objects.descendants(goal).values_list("pk", flat=True)
    return set(ancestors) | set(descendants)


@transaction.atomic
def contribution_add(*, from_goal: Goal, to_goal: Goal, weight: Decimal, by) -> GoalContribution:
    """A secondary link to a goal outside the contributing goal's own branch."""
    refuse_inactive(by)
    if not can_link_contribution(by, from_goal):
        raise NotAllowed("Only someone who manages this goal may link it to another.")
    if not Decimal(0) < weight <= Decimal(100):
        raise _invalid("weight", "The weight is a share between 0 and 100 %.")
    if to_goal.pk in _branch_ids(from_goal):
        raise _invalid(
            "to_goal", "That goal is in this goal's own branch: the tree already rolls it up."
        )
    if GoalContribution.objects.filter(from_goal=to_goal, to_goal=from_goal).exists():
        raise _invalid("to_goal", "That goal already contributes to this one.")
    link, created = GoalContribution.objects.get_or_create(
        from_goal=from_goal, to_goal=to_goal, defaults={"weight": weight, "created_by": by}
    )
    if not created and link.weight != weight:
        link.weight = weight
        link.save(update_fields=["weight"])
    return link


@transaction.atomic
def contribution_remove(*, contribution: GoalContribution, by) -> None:
    refuse_inactive(by)
    if not can_link_contribution(by, contribution.from_goal):
        raise NotAllowed("Only someone who manages the contributing goal may remove the link.")
    contribution.delete()


@transaction.atomic
def pilot_goals_set(*, pilot: Pilot, goals, by) -> list[Goal]:
    """The pilot serves exactly these goals from now on (its sponsor decides)."""
    refuse_inactive(by)
    if not can_set_pilot_goals(by, pilot):
        raise NotAllowed("Only the pilot's sponsor names the goals it serves.")
    wanted = {goal.pk for goal in goals}
    PilotGoal.objects.filter(pilot=pilot).exclude(goal_id__in=wanted).delete()
    have = set(PilotGoal.objects.filter(pilot=pilot).values_list("goal_id", flat=True))
    for pk in sorted(wanted - have):  # one by one, so each link gets its history record
        PilotGoal.objects.create(pilot=pilot, goal_id=pk, linked_by=by)
    return list(Goal.objects.filter(pk__in=wanted))

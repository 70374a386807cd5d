"""Writes of the coaching app: cycles through their four stages, and opportunities.

Every service takes the acting user as `by` and refuses with a domain error: only the
workgroup's supervisor writes its cycles. Time-setting services take an optional `at` so the
demo (or an import) can replay history; left out, it is now.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from coaching.models import (
    OPEN_STAGES,
    ActionKind,
    Cycle,
    CycleAction,
    EffectUnit,
    Opportunity,
    OpportunityStatus,
    Stage,
)
from coaching.permissions import can_coach
from coaching.selectors import linkable_observations
from core.errors import DomainError, NotAllowed, StateConflict
from people.models import Person
from people.permissions import refuse_inactive
from pilots.models import PilotStatus, Workgroup

# The order a cycle moves in; `completed` follows the last stage.
STAGE_ORDER = [Stage.DATA, Stage.ACTION, Stage.REFLECTION, Stage.ADAPTATION, Stage.COMPLETED]
DONE_AT_FIELD = {
    Stage.DATA: "data_done_at",
    Stage.ACTION: "action_done_at",
    Stage.REFLECTION: "reflection_done_at",
    Stage.ADAPTATION: "adaptation_done_at",
}


def _require_supervisor(*, workgroup: Workgroup, by) -> None:
    refuse_inactive(by)
    if not can_coach(by, workgroup):
        raise NotAllowed("Only the workgroup's supervisor may log its coaching cycles.")


def _require_stage(cycle: Cycle, stage: str, doing: str) -> None:
    if cycle.stage != stage:
        raise StateConflict(
            f"{doing} is only possible during the {stage} stage; "
            f"this cycle is at the {cycle.stage} stage.",
            code="wrong_stage",
        )


def _locked(cycle: Cycle) -> Cycle:
    """Re-read the cycle under a row lock so two tabs cannot both move it on."""
    return (
        Cycle.objects.select_for_update(of=("self",))
        .select_related("workgroup__supervisor")
        .get(pk=cycle.pk)
    )


def _required_text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="invalid", fields={field: [message]})
    return value


@transaction.atomic
def cycle_start(*, workgroup: Workgroup, by, at: datetime | None = None) -> Cycle:
    """Open the next numbered cycle; it starts from the last completed cycle's adaptation."""
    workgroup = (
        Workgroup.objects.select_for_update(of=("self",))
        .select_related("pilot", "supervisor")
        .get(pk=workgroup.pk)
    )
    _require_supervisor(workgroup=workgroup, by=by)
    if workgroup.pilot.status != PilotStatus.RUNNING:
        raise StateConflict(
            "Cycles can only start while the pilot is running.", code="pilot_not_running"
        )
    if workgroup.cycles.open().exists():
        raise StateConflict(
            "This workgroup already has an open cycle: complete or abandon it first.",
            code="cycle_already_open",
        )
    last = workgroup.cycles.order_by("-number").first()
    try:
        # A savepoint, so the constraint backing the check above reads as a domain error.
        with transaction.atomic():
            return Cycle.objects.create(
                workgroup=workgroup,
                number=(last.number + 1) if last else 1,
                previous=workgroup.cycles.completed().order_by("-number").first(),
                started_at=at or timezone.now(),
                started_by=by,
            )
    except IntegrityError as exc:
        raise StateConflict(
            "Another cycle was started at the same time.", code="cycle_already_open"
        ) from exc


@transaction.atomic
def cycle_save_data(
    *,
    cycle: Cycle,
    by,
    data_sought: str,
    context: str = "",
    observation_ids: Iterable[int] = (),
) -> Cycle:
    """Save the data stage: what was sought, the context, and the observations looked at."""
    cycle = _locked(cycle)
    _require_supervisor(workgroup=cycle.workgroup, by=by)
    _require_stage(cycle, Stage.DATA, "Saving the data")
    wanted = set(observation_ids)
    linked = list(linkable_observations(cycle.workgroup).filter(pk__in=wanted))
    unknown = sorted(wanted - {o.pk for o in linked})
    if unknown:
        message = f"Not observations of this workgroup, its people or its pilot: {unknown}."
        raise DomainError(message, code="invalid", fields={"observation_ids": [message]})
    cycle.data_sought = data_sought.strip()
    cycle.context = context.strip()
    cycle.save(update_fields=["data_sought", "context"])
    cycle.observations.set(linked)
    return cycle


def _workgroup_person(workgroup: Workgroup, person: Person | None) -> Person | None:
    if person is None:
        return None
    if person.pk == workgroup.supervisor_id or workgroup.memberships.filter(person=person).exists():
        return person
    message = "The owner must be the supervisor or a member of the workgroup."
    raise DomainError(message, code="invalid", fields={"owner": [message]})


@transaction.atomic
def cycle_add_action(
    *,
    cycle: Cycle,
    by,
    description: str,
    kind: str,
    owner: Person | None = None,
    due_date: date | None = None,
    at: datetime | None = None,
) -> CycleAction:
    """Record one thing tried, tagged as task work or relationship work."""
    cycle = _locked(cycle)
    _require_supervisor(workgroup=cycle.workgroup, by=by)
    _require_stage(cycle, Stage.ACTION, "Adding an action")
    description = _required_text(description, "description", "Describe the action.")
    if kind not in ActionKind.values:
        message = f"Kind must be one of: {', '.join(ActionKind.values)}."
        raise DomainError(message, code="invalid", fields={"kind": [message]})
    return CycleAction.objects.create(
        cycle=cycle,
        description=description,
        kind=kind,
        owner=_workgroup_person(cycle.workgroup, owner),
        due_date=due_date,
        created_at=at or timezone.now(),
    )


def _changeable_action(action: CycleAction, by, doing: str) -> CycleAction:
    """The action re-read under its cycle's lock, if `by` may still change it."""
    cycle = _locked(action.cycle)
    _require_supervisor(workgroup=cycle.workgroup, by=by)
    _require_stage(cycle, Stage.ACTION, doing)
    try:
        return cycle.actions.get(pk=action.pk)
    except CycleAction.DoesNotExist:
        raise StateConflict("This action was removed meanwhile.", code="action_gone") from None


@transaction.atomic
def cycle_update_action(
    *,
    action: CycleAction,
    by,
    description: str,
    kind: str,
    owner: Person | None = None,
    due_date: date | None = None,
) -> CycleAction:
    """Correct an action while the action stage is open; the history keeps what it said."""
    action = _changeable_action(action, by, "Editing an action")
    action.description = _required_text(description, "description", "Describe the action.")
    if kind not in ActionKind.values:
        message = f"Kind must be one of: {', '.join(ActionKind.values)}."
        raise DomainError(message, code="invalid", fields={"kind": [message]})
    action.kind, action.due_date = kind, due_date
    action.owner = _workgroup_person(action.cycle.workgroup, owner)
    action.save(update_fields=["description", "kind", "owner", "due_date"])
    return action


@transaction.atomic
def cycle_remove_action(*, action: CycleAction, by) -> None:
    """Remove an action while the action stage is open (the history keeps a record of it)."""
    _changeable_action(action, by, "Removing an action").delete()


@transaction.atomic
def cycle_save_reflection(
    *, cycle: Cycle, by, learned: str, surprised: str = "", confidence: int | None = None
) -> Cycle:
    """Save what was learned, what surprised, and the 0–10 confidence the group is on track."""
    cycle = _locked(cycle)
    _require_supervisor(workgroup=cycle.workgroup, by=by)
    _require_stage(cycle, Stage.REFLECTION, "Saving the reflection")
    if confidence is not None and not 0 <= confidence <= 10:
        message = "Confidence is a whole number from 0 to 10."
        raise DomainError(message, code="invalid", fields={"confidence": [message]})
    cycle.learned, cycle.surprised, cycle.confidence = (
        learned.strip(),
        surprised.strip(),
        confidence,
    )
    cycle.save(update_fields=["learned", "surprised", "confidence"])
    return cycle


@transaction.atomic
def cycle_save_adaptation(*, cycle: Cycle, by, changes_next: str) -> Cycle:
    """Save what changes next: the next cycle's starting point."""
    cycle = _locked(cycle)
    _require_supervisor(workgroup=cycle.workgroup, by=by)
    _require_stage(cycle, Stage.ADAPTATION, "Saving the adaptation")
    cycle.changes_next = changes_next.strip()
    cycle.save(update_fields=["changes_next"])
    return cycle


def _stage_is_complete(cycle: Cycle) -> None:
    """Refuse to close a stage whose required content is missing."""
    missing: dict[str, list[str]] = {}
    if cycle.stage == Stage.DATA and not cycle.data_sought:
        missing["data_sought"] = ["Say what data and context you sought."]
    elif cycle.stage == Stage.ACTION and not cycle.actions.exists():
        missing["actions"] = ["Add at least one action before moving on."]
    elif cycle.stage == Stage.REFLECTION:
        if not cycle.learned:
            missing["learned"] = ["Say what was learned."]
        if cycle.confidence is None:
            missing["confidence"] = ["Give your confidence from 0 to 10."]
    elif cycle.stage == Stage.ADAPTATION and not cycle.changes_next:
        missing["changes_next"] = ["Say what changes next."]
    if missing:
        raise DomainError(
            f"The {cycle.stage} stage is not complete yet.",
            code="stage_incomplete",
            fields=missing,
        )


@transaction.atomic
def cycle_complete_stage(
    *, cycle: Cycle, by, stage: str | None = None, at: datetime | None = None
) -> Cycle:
    """Close the current stage and move to the next. `stage` names the stage the caller means
    to close: a stale page (or a replayed request) then cannot close a later one by accident."""
    cycle = _locked(cycle)
    _require_supervisor(workgroup=cycle.workgroup, by=by)
    if not cycle.is_open:
        raise StateConflict(f"This cycle is {cycle.stage}.", code="cycle_closed")
    if stage is not None and stage != cycle.stage:
        if stage not in DONE_AT_FIELD:
            raise DomainError(
                "Unknown stage.", code="invalid", fields={"stage": ["Unknown stage."]}
            )
        done = STAGE_ORDER.index(stage) < STAGE_ORDER.index(cycle.stage)
        if done:
            message = f"The {stage} stage is done and cannot be reopened."
        else:
            message = f"No skipping to the {stage} stage: this cycle is at {cycle.stage}."
        raise StateConflict(message, code="stage_already_done" if done else "stage_skipped")
    _stage_is_complete(cycle)
    done_field = DONE_AT_FIELD[cycle.stage]
    setattr(cycle, done_field, at or timezone.now())
    cycle.stage = STAGE_ORDER[STAGE_ORDER.index(cycle.stage) + 1]
    cycle.save(update_fields=[done_field, "stage"])
    return cycle


@transaction.atomic
def cycle_abandon(*, cycle: Cycle, by, reason: str, at: datetime | None = None) -> Cycle:
    """Stop an open cycle for a stated reason; its stages stay as they were."""
    cycle = _locked(cycle)
    _require_supervisor(workgroup=cycle.workgroup, by=by)
    reason = _required_text(reason, "reason", "Say why the cycle is abandoned.")
    if not cycle.is_open:
        raise StateConflict(f"This cycle is already {cycle.stage}.", code="cycle_closed")
    cycle.stage, cycle.abandon_reason = Stage.ABANDONED, reason
    cycle.abandoned_at = at or timezone.now()
    cycle.save(update_fields=["stage", "abandon_reason", "abandoned_at"])
    return cycle


def _non_negative(value: Decimal | None, field: str) -> Decimal | None:
    if value is not None and value < 0:
        message = "Enter a value of zero or more."
        raise DomainError(message, code="invalid", fields={field: [message]})
    return value


@transaction.atomic
def opportunity_add(
    *,
    cycle: Cycle,
    by,
    title: str,
    description: str = "",
    estimated_value: Decimal | None = None,
    estimated_efficiency: Decimal | None = None,
    efficiency_unit: str = EffectUnit.MONEY,
    at: datetime | None = None,
) -> Opportunity:
    """Record an unseen problem or opportunity an open cycle surfaced, with first estimates."""
    cycle = _locked(cycle)
    _require_supervisor(workgroup=cycle.workgroup, by=by)
    if cycle.stage not in OPEN_STAGES:
        raise StateConflict("Opportunities are found during an open cycle.", code="cycle_closed")
    if efficiency_unit not in EffectUnit.values:
        message = f"Unit must be one of: {', '.join(EffectUnit.values)}."
        raise DomainError(message, code="invalid", fields={"efficiency_unit": [message]})
    return Opportunity.objects.create(
        workgroup=cycle.workgroup,
        found_in=cycle,
        title=_required_text(title, "title", "Give the opportunity a title."),
        description=description.strip(),
        estimated_value=_non_negative(estimated_value, "estimated_value"),
        estimated_efficiency=_non_negative(estimated_efficiency, "estimated_efficiency"),
        efficiency_unit=efficiency_unit,
        found_at=at or timezone.now(),
    )


def _locked_found(opportunity: Opportunity, by) -> Opportunity:
    opportunity = (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("workgroup__supervisor", "found_in")
        .get(pk=opportunity.pk)
    )
    _require_supervisor(workgroup=opportunity.workgroup, by=by)
    if opportunity.status != OpportunityStatus.FOUND:
        raise StateConflict(
            f"This opportunity is already {opportunity.status}.", code="opportunity_closed"
        )
    return opportunity


def _addressing_cycle(opportunity: Opportunity, cycle: Cycle | None) -> Cycle:
    """The cycle that addressed it: given, or the workgroup's open cycle."""
    if cycle is None:
        cycle = opportunity.workgroup.cycles.open().first()
    if cycle is None:
        message = "Name the cycle that addressed it (the workgroup has no open cycle)."
        raise DomainError(message, code="invalid", fields={"cycle": [message]})
    if cycle.workgroup_id != opportunity.workgroup_id or cycle.stage == Stage.ABANDONED:
        message = "The addressing cycle must be a live or completed cycle of the same workgroup."
        raise DomainError(message, code="invalid", fields={"cycle": [message]})
    if cycle.number < opportunity.found_in.number:
        message = "It cannot be addressed in a cycle before the one that found it."
        raise DomainError(message, code="invalid", fields={"cycle": [message]})
    return cycle


@transaction.atomic
def opportunity_address(
    *,
    opportunity: Opportunity,
    by,
    realised_value: Decimal | None = None,
    realised_efficiency: Decimal | None = None,
    cycle: Cycle | None = None,
    at: datetime | None = None,
) -> Opportunity:
    """Mark a found opportunity addressed, with the value and efficiency it realised."""
    opportunity = _locked_found(opportunity, by)
    if realised_value is None and realised_efficiency is None:
        message = "Give the realised value, the realised efficiency, or both (zero is fine)."
        raise DomainError(message, code="invalid", fields={"realised_value": [message]})
    opportunity.addressed_in = _addressing_cycle(opportunity, cycle)
    opportunity.realised_value = _non_negative(realised_value, "realised_value")
    opportunity.realised_efficiency = _non_negative(realised_efficiency, "realised_efficiency")
    opportunity.status, opportunity.addressed_at = OpportunityStatus.ADDRESSED, at or timezone.now()
    opportunity.save(
        update_fields=[
            "addressed_in",
            "realised_value",
            "realised_efficiency",
            "status",
            "addressed_at",
        ]
    )
    return opportunity


@transaction.atomic
def opportunity_drop(
    *, opportunity: Opportunity, by, reason: str, at: datetime | None = None
) -> Opportunity:
    """Let a found opportunity go, saying why."""
    reason = _required_text(reason, "reason", "Say why the opportunity is dropped.")
    opportunity = _locked_found(opportunity, by)
    opportunity.status, opportunity.drop_reason = OpportunityStatus.DROPPED, reason
    opportunity.dropped_at = at or timezone.now()
    opportunity.save(update_fields=["status", "drop_reason", "dropped_at"])
    return opportunity

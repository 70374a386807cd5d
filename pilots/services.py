"""Writes to pilots: creating and editing them and every lifecycle move. Each move goes
through `pilots.lifecycle.take`, so state checks, permissions and the record of who, when
and why live in one place. Workgroup writes are in `pilots.workgroups`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError, NotAllowed, StateConflict
from core.fields import fields_check
from core.history import recorded_by
from hrapi.events import PILOT_ENDED, PILOT_STARTED, publish_event
from people.models import OrgUnit, Person
from people.permissions import refuse_inactive
from pilots import lifecycle, readiness
from pilots.models import (
    Decision,
    Pilot,
    PilotStatus,
    RunningAssignment,
    ScaleDecision,
    Workgroup,
)
from pilots.permissions import (
    SponsorInWorkgroup,
    can_choose_sponsor,
    can_create_pilot,
    can_manage,
    sponsor_seats,
)

# What a sponsor may change while the pilot is a draft or approved. Status, sponsor and the
# timestamps are never taken from input: they move only through the lifecycle.
EDITABLE_FIELDS = (
    "name",
    "approach",
    "vision",
    "pain_point",
    "demonstration_project",
    "org_unit",
    "planned_start",
    "review_date",
    "patience_horizon_weeks",
    "baseline_window_weeks",
    "grace_period_days",
)


def _check_dates(*, planned_start: dt.date, review_date: dt.date) -> None:
    if review_date < planned_start:
        raise DomainError(
            "The review date must be on or after the planned start.",
            code="invalid",
            fields={"review_date": ["Must be on or after the planned start."]},
        )


def _check_horizon(weeks: int) -> None:
    if weeks < 1:
        raise DomainError(
            "The patience horizon is at least one week.",
            code="invalid",
            fields={"patience_horizon_weeks": ["Must be at least 1 week."]},
        )


def _sponsor_for(*, by, sponsor: Person | None) -> Person:
    own = getattr(by, "person", None)
    if sponsor is None or sponsor == own:
        if own is None:
            raise DomainError("Your account has no person record to sponsor a pilot.")
        return own
    if not can_choose_sponsor(by):
        raise NotAllowed("Only a portfolio leader may set up a pilot for another sponsor.")
    return sponsor


@recorded_by
@transaction.atomic
def pilot_create(
    *,
    by,
    name: str,
    approach: str,
    vision: str,
    pain_point: str,
    demonstration_project: str,
    planned_start: dt.date,
    review_date: dt.date,
    patience_horizon_weeks: int = 26,
    baseline_window_weeks: int = 12,
    grace_period_days: int = 90,
    org_unit: OrgUnit | None = None,
    sponsor: Person | None = None,
) -> Pilot:
    """A new draft pilot; the creator sponsors it unless a portfolio leader names another."""
    refuse_inactive(by)
    if not can_create_pilot(by):
        raise NotAllowed("Only leaders may set up pilots.")
    _check_dates(planned_start=planned_start, review_date=review_date)
    _check_horizon(patience_horizon_weeks)
    pilot = Pilot(
        name=name,
        approach=approach,
        vision=vision,
        pain_point=pain_point,
        demonstration_project=demonstration_project,
        planned_start=planned_start,
        review_date=review_date,
        patience_horizon_weeks=patience_horizon_weeks,
        baseline_window_weeks=baseline_window_weeks,
        grace_period_days=grace_period_days,
        org_unit=org_unit,
        sponsor=_sponsor_for(by=by, sponsor=sponsor),
        created_by=by,
    )
    fields_check(pilot, EDITABLE_FIELDS)
    pilot.save()
    return pilot


@recorded_by
@transaction.atomic
def pilot_update(*, pilot: Pilot, by, data: dict) -> Pilot:
    """Change the pilot's description and plan while it is a draft or approved. Keys outside
    EDITABLE_FIELDS (status, sponsor, timestamps…) are ignored, never applied."""
    pilot = _locked(pilot)
    refuse_inactive(by)
    if not can_manage(by, pilot):
        raise NotAllowed("Only the pilot's sponsor may edit it.")
    if pilot.status not in lifecycle.EDITABLE:
        raise StateConflict(
            f"A {pilot.status} pilot can no longer be edited.", code="invalid_transition"
        )
    changes = {key: value for key, value in data.items() if key in EDITABLE_FIELDS}
    for key, value in changes.items():
        setattr(pilot, key, value)
    _check_dates(planned_start=pilot.planned_start, review_date=pilot.review_date)
    _check_horizon(pilot.patience_horizon_weeks)
    fields_check(pilot, changes)
    if changes:
        pilot.save(update_fields=[*changes, "updated_at"])
    return pilot


def _locked(pilot: Pilot) -> Pilot:
    """The pilot's row, locked for the rest of the transaction, so two moves cannot race."""
    fresh = Pilot.objects.select_for_update().get(pk=pilot.pk)
    pilot.status = fresh.status
    pilot.started_at, pilot.ended_at = fresh.started_at, fresh.ended_at
    return pilot


@recorded_by
@transaction.atomic
def pilot_approve(
    *,
    pilot: Pilot,
    by,
    reason: str = "",
    acknowledge_low_containment: bool = False,
    at: dt.datetime | None = None,
) -> Pilot:
    """Approve a draft: it needs a workgroup with a supervisor, and below a self-containment
    of 50 the approver's explicit acknowledgement, recorded with the score it accepted."""
    at = at or timezone.now()
    pilot = _locked(pilot)
    lifecycle.check(pilot, "approve", by=by)
    groups = list(pilot.workgroups.prefetch_related("memberships", "ties", "competing_initiatives"))
    if not readiness.workgroups_check(groups).ok:
        raise StateConflict(
            "A pilot needs at least one workgroup with a supervisor before approval.",
            code="no_workgroups",
        )
    also: tuple = ()
    score = readiness.containment_score(groups)
    if score < readiness.CONTAINMENT_ACK_BELOW:
        if not acknowledge_low_containment:
            raise DomainError(
                f"Self-containment is {score}/100, below {readiness.CONTAINMENT_ACK_BELOW}: "
                "acknowledge that the pilot's results will be hard to read to approve it.",
                code="acknowledgement_required",
                fields={"acknowledge_low_containment": ["Acknowledge the low score."]},
            )
        pilot.containment_acknowledged_score = score
        pilot.containment_acknowledged_at, pilot.containment_acknowledged_by = at, by
        also = ("containment_acknowledged_score", "containment_acknowledged_at")
        also += ("containment_acknowledged_by",)
        reason = reason or f"Approved with self-containment {score}/100, acknowledged."
    lifecycle.take(pilot, "approve", by=by, at=at, reason=reason, also=also)
    return pilot


@recorded_by
@transaction.atomic
def pilot_start(
    *,
    pilot: Pilot,
    by,
    override_reason: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
) -> Pilot:
    """Start the pilot: every charter complete, every person free of other running pilots;
    seats taken, baselines frozen and the event published, all or nothing."""
    # pilots → metrics and evidence: the start is where the pilot freezes what those apps
    # hold (baselines, the comparison group). Imported here because both import
    # pilots.models; the dependency is real and one way (neither imports pilots.services).
    from evidence.services import comparison_freeze_for_start
    from metrics.baselines import baselines_freeze_for_start

    at = at or timezone.now()
    pilot = _locked(pilot)
    lifecycle.check(pilot, "start", by=by)
    workgroups = list(
        pilot.workgroups.select_related("charter", "supervisor").prefetch_related("memberships")
    )
    _check_charters(workgroups)
    if sponsor_seats(pilot):  # written around the services, or from before the rule
        raise SponsorInWorkgroup(
            "The pilot's sponsor sits in one of its workgroups; a sponsor cannot protect "
            "themselves. Take them out of the workgroups before the start."
        )
    seats_take(seats=seats_of(workgroups), at=at)
    pilot.started_at = at
    lifecycle.take(
        pilot, "start", by=by, at=at, reason=reason or override_reason, also=("started_at",)
    )
    # Records the override reason on the pilot when it was needed for missing data.
    baselines_freeze_for_start(pilot=pilot, frozen_at=at, override_reason=override_reason, by=by)
    # The comparison group freezes with the baselines, before any result can be known.
    comparison_freeze_for_start(pilot=pilot, frozen_at=at, by=by)
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    return pilot


def _check_charters(workgroups: list[Workgroup]) -> None:
    """The start's checklist (see pilots.readiness), refused with a stable code each."""
    if not readiness.workgroups_check(workgroups).ok:
        raise StateConflict("A pilot needs at least one workgroup to start.", code="no_workgroups")
    open_ = [wg.name for wg in workgroups if not _charter_complete(wg)]
    if open_:
        raise StateConflict(
            "Every charter must be signed by its supervisor and its assurance confirmed by "
            f"the sponsor before the start; still open: {', '.join(open_)}.",
            code="charters_incomplete",
        )


def _charter_complete(workgroup: Workgroup) -> bool:
    charter = getattr(workgroup, "charter", None)
    return charter is not None and charter.is_complete


def seats_of(workgroups: Iterable[Workgroup]) -> dict[int, Workgroup]:
    """Person id → the workgroup they sit in: every supervisor and member, once."""
    seats: dict[int, Workgroup] = {}
    for workgroup in workgroups:
        for person_id in [workgroup.supervisor_id, *_member_ids(workgroup)]:
            seats.setdefault(person_id, workgroup)
    return seats


def seats_take(*, seats: dict[int, Workgroup], at: dt.datetime) -> None:
    """A running seat for each person. Checked up front for a clear message; the database's
    one seat per person is the final word when two starts race."""
    _refuse_taken_seats(seats)
    try:
        with transaction.atomic():
            RunningAssignment.objects.bulk_create(
                RunningAssignment(person_id=person_id, workgroup=workgroup, assigned_at=at)
                for person_id, workgroup in seats.items()
            )
    except IntegrityError as exc:
        _refuse_taken_seats(seats)  # names the person when a concurrent start won the race
        raise DomainError(
            "Someone in this pilot just joined another running pilot.", code="already_running"
        ) from exc


def _member_ids(workgroup: Workgroup) -> list[int]:
    return [membership.person_id for membership in workgroup.memberships.all()]


def _refuse_taken_seats(seats: dict[int, Workgroup]) -> None:
    taken = (
        RunningAssignment.objects.filter(person_id__in=seats)
        .select_related("person", "workgroup__pilot")
        .order_by("person__full_name")
        .first()
    )
    if taken is not None:
        raise DomainError(
            f"{taken.person.full_name} is already in the running pilot "
            f"“{taken.workgroup.pilot.name}” (workgroup {taken.workgroup.name}); a person is "
            "in at most one running pilot at a time.",
            code="already_running",
            fields={"person": [taken.person.external_id]},
        )


@recorded_by
@transaction.atomic
def pilot_review(*, pilot: Pilot, by, reason: str = "", at: dt.datetime | None = None) -> Pilot:
    lifecycle.take(_locked(pilot), "review", by=by, at=at or timezone.now(), reason=reason)
    return pilot


def before_horizon(pilot: Pilot, at: dt.datetime) -> bool:
    if pilot.started_at is None:
        return False
    return at < pilot.started_at + dt.timedelta(weeks=pilot.patience_horizon_weeks)


@recorded_by
@transaction.atomic
def pilot_stop(*, pilot: Pilot, by, reason: str = "", at: dt.datetime | None = None) -> Pilot:
    """Stop the pilot. Stopping a started pilot before its patience horizon needs a written
    reason and is counted as a premature stop."""
    at = at or timezone.now()
    pilot = _locked(pilot)
    lifecycle.check(pilot, "stop", by=by)
    premature = before_horizon(pilot, at)
    if premature and not reason.strip():
        raise DomainError(
            "Stopping before the patience horizon "
            f"({pilot.patience_horizon_weeks} weeks) needs a written reason.",
            code="reason_required",
            fields={"reason": ["Say why the pilot stops before its patience horizon."]},
        )
    _end(pilot, "stop", by=by, at=at, reason=reason.strip(), premature=premature)
    return pilot


def _end(pilot: Pilot, move: str, *, by, at: dt.datetime, reason: str, premature: bool) -> None:
    """The final move. A pilot that ran also records when it ended, frees its people's
    seats and tells subscribers."""
    if pilot.started_at is None:
        lifecycle.take(pilot, move, by=by, at=at, reason=reason)
        return
    pilot.ended_at, pilot.premature_stop = at, premature
    lifecycle.take(pilot, move, by=by, at=at, reason=reason, also=("ended_at", "premature_stop"))
    RunningAssignment.objects.filter(workgroup__pilot=pilot).delete()
    from evidence.followups import followups_schedule_for_end

    followups_schedule_for_end(pilot=pilot)  # +6 weeks, +6 months, … (the pilot's plan)
    publish_event(PILOT_ENDED, pilot_id=pilot.pk)


@recorded_by
@transaction.atomic
def pilot_decide(
    *,
    pilot: Pilot,
    by,
    decision: str,
    lessons_learned: str,
    capabilities_built: str = "",
    spread_to: Iterable[OrgUnit] = (),
    at: dt.datetime | None = None,
) -> ScaleDecision:
    """Record the sponsor's decision at review: scale (spread to org units), adapt (back to
    running) or stop. A stop before the patience horizon is a premature stop."""
    at = at or timezone.now()
    pilot = _locked(pilot)
    move = {Decision.SCALE: "scale", Decision.ADAPT: "adapt", Decision.STOP: "stop"}.get(decision)
    if move is None:
        raise DomainError("Choose scale, adapt or stop.", fields={"decision": ["Invalid choice."]})
    lifecycle.check(pilot, move, by=by)
    if pilot.status != PilotStatus.REVIEWING:
        raise StateConflict("Decisions are taken at review.", code="invalid_transition")
    spread_to = list(spread_to)
    _check_decision(decision=decision, lessons_learned=lessons_learned, spread_to=spread_to)
    record = ScaleDecision.objects.create(
        pilot=pilot,
        decision=decision,
        lessons_learned=lessons_learned.strip(),
        capabilities_built=capabilities_built.strip(),
        decided_by=by,
        decided_at=at,
    )
    record.spread_to.set(spread_to if decision == Decision.SCALE else [])
    why = lessons_learned.strip()
    if move == "adapt":
        lifecycle.take(pilot, move, by=by, at=at, reason=why)
    else:
        premature = move == "stop" and before_horizon(pilot, at)
        _end(pilot, move, by=by, at=at, reason=why, premature=premature)
    return record


def _check_decision(*, decision: str, lessons_learned: str, spread_to: list) -> None:
    if not lessons_learned.strip():
        raise DomainError(
            "Record the lessons learned with the decision.",
            fields={"lessons_learned": ["This field is required."]},
        )
    if decision == Decision.SCALE and not spread_to:
        raise DomainError(
            "Name at least one org unit the pilot should spread to.",
            fields={"spread_to": ["Choose at least one org unit."]},
        )

"""Writes to workgroups and what hangs off them: members, ties, competing initiatives and the
charter. The sponsor shapes the groups; the supervisor signs the charter; the sponsor
confirms its assurance."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError, NotAllowed, StateConflict
from people.models import Person
from pilots import lifecycle
from pilots.models import (
    Charter,
    CompetingInitiative,
    Pilot,
    PilotStatus,
    RunningAssignment,
    Tie,
    Workgroup,
    WorkgroupMember,
)
from pilots.permissions import can_manage, can_sign_charter
from pilots.services import seats_take

# Members may join while the pilot runs; ties and initiatives are kept up to date until it ends.
MEMBERS_OPEN = lifecycle.EDITABLE | {PilotStatus.RUNNING}
LIVE = MEMBERS_OPEN | {PilotStatus.REVIEWING}


def _require_manager(by, pilot: Pilot, states=lifecycle.EDITABLE, what="change its workgroups"):
    if not can_manage(by, pilot):
        raise NotAllowed("Only the pilot's sponsor may change its workgroups.")
    if pilot.status not in states:
        raise StateConflict(f"A {pilot.status} pilot cannot {what}.", code="invalid_state")


@transaction.atomic
def workgroup_create(
    *, pilot: Pilot, by, name: str, supervisor: Person, cadence_days: int = 14
) -> Workgroup:
    """A new workgroup with its (unsigned) charter, while the pilot is being set up."""
    _require_manager(by, pilot, what="get new workgroups")
    if pilot.workgroups.filter(name=name).exists():
        raise DomainError(
            "This pilot already has a workgroup of that name.",
            fields={"name": ["Choose another name."]},
        )
    workgroup = Workgroup.objects.create(
        pilot=pilot, name=name, supervisor=supervisor, cadence_days=cadence_days
    )
    Charter.objects.create(workgroup=workgroup)
    return workgroup


@transaction.atomic
def workgroup_member_add(
    *, workgroup: Workgroup, by, person: Person, at: dt.datetime | None = None
) -> WorkgroupMember:
    """Add a member; in a running pilot they take a running seat at once (or are refused)."""
    pilot = workgroup.pilot
    _require_manager(by, pilot, MEMBERS_OPEN, what="take new members")
    if workgroup.memberships.filter(person=person).exists():
        raise DomainError(
            f"{person.full_name} is already a member of {workgroup.name}.",
            fields={"person": ["Already a member."]},
        )
    try:
        with transaction.atomic():
            membership = WorkgroupMember.objects.create(workgroup=workgroup, person=person)
    except IntegrityError as exc:  # a concurrent add of the same person
        raise DomainError(f"{person.full_name} is already a member.") from exc
    if pilot.status == PilotStatus.RUNNING and person.pk != workgroup.supervisor_id:
        seats_take(seats={person.pk: workgroup}, at=at or timezone.now())
    return membership


@transaction.atomic
def workgroup_member_remove(*, workgroup: Workgroup, by, person: Person) -> None:
    _require_manager(by, workgroup.pilot, MEMBERS_OPEN, what="lose members")
    workgroup.memberships.filter(person=person).delete()
    if person.pk != workgroup.supervisor_id:
        RunningAssignment.objects.filter(person=person, workgroup=workgroup).delete()


@transaction.atomic
def tie_add(
    *, workgroup: Workgroup, by, counterpart: str, frequency: int, strength: int, note: str = ""
) -> Tie:
    _require_manager(by, workgroup.pilot, LIVE, what="record ties")
    return Tie.objects.create(
        workgroup=workgroup,
        counterpart=counterpart,
        frequency=frequency,
        strength=strength,
        note=note,
    )


@transaction.atomic
def tie_remove(*, tie: Tie, by) -> None:
    _require_manager(by, tie.workgroup.pilot, LIVE, what="change ties")
    tie.delete()


@transaction.atomic
def competing_initiative_add(
    *, workgroup: Workgroup, by, name: str, owner: str = "", time_share_percent: int
) -> CompetingInitiative:
    _require_manager(by, workgroup.pilot, LIVE, what="record competing initiatives")
    if not 0 <= time_share_percent <= 100:
        raise DomainError(
            "The share of time is between 0 and 100 %.",
            fields={"time_share_percent": ["Between 0 and 100."]},
        )
    return CompetingInitiative.objects.create(
        workgroup=workgroup, name=name, owner=owner, time_share_percent=time_share_percent
    )


@transaction.atomic
def competing_initiative_remove(*, initiative: CompetingInitiative, by) -> None:
    _require_manager(by, initiative.workgroup.pilot, LIVE, what="change competing initiatives")
    initiative.delete()


def _charter(workgroup: Workgroup) -> Charter:
    charter, _ = Charter.objects.select_for_update().get_or_create(workgroup=workgroup)
    return charter


def _charter_open(workgroup: Workgroup) -> None:
    if workgroup.pilot.status not in lifecycle.EDITABLE:
        raise StateConflict(
            f"The charter of a {workgroup.pilot.status} pilot is settled.", code="invalid_state"
        )


@transaction.atomic
def charter_sign(
    *,
    workgroup: Workgroup,
    by,
    open_minded: bool,
    risk_tolerant: bool,
    customer_commitment: bool,
    at: dt.datetime | None = None,
) -> Charter:
    """The supervisor acknowledges all three expectations; nothing less counts as signed."""
    if not can_sign_charter(by, workgroup):
        raise NotAllowed("Only the workgroup's supervisor may sign its charter.")
    _charter_open(workgroup)
    missing = {
        name: ["Acknowledge this expectation to sign."]
        for name, value in [
            ("open_minded", open_minded),
            ("risk_tolerant", risk_tolerant),
            ("customer_commitment", customer_commitment),
        ]
        if value is not True
    }
    if missing:
        raise DomainError("All three expectations must be acknowledged.", fields=missing)
    charter = _charter(workgroup)
    charter.open_minded = charter.risk_tolerant = charter.customer_commitment = True
    charter.signed_at, charter.signed_by = at or timezone.now(), by
    charter.save()
    return charter


@transaction.atomic
def charter_confirm_assurance(
    *, workgroup: Workgroup, by, at: dt.datetime | None = None
) -> Charter:
    """The sponsor confirms the pilot will not count against the supervisor's performance."""
    if not can_manage(by, workgroup.pilot):
        raise NotAllowed("Only the pilot's sponsor may confirm the assurance.")
    _charter_open(workgroup)
    charter = _charter(workgroup)
    charter.assurance_confirmed_at, charter.assurance_confirmed_by = at or timezone.now(), by
    charter.save()
    return charter

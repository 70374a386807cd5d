"""Writes to workgroups and what hangs off them: members, ties, competing initiatives and the
charter. The sponsor shapes the groups; the supervisor signs the charter; the sponsor
confirms its assurance."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError, NotAllowed, StateConflict
from core.fields import fields_check
from core.history import recorded_by
from core.outbox import enqueue
from people.models import Person
from people.permissions import refuse_inactive
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
from pilots.permissions import (
    can_confirm_assurance,
    can_manage,
    can_sign_charter,
    check_not_sponsor,
)
from pilots.services import seats_take

# Members may join while the pilot runs; ties and initiatives are kept up to date until it ends.
MEMBERS_OPEN = lifecycle.EDITABLE | {PilotStatus.RUNNING}
LIVE = MEMBERS_OPEN | {PilotStatus.REVIEWING}


def _require_manager(by, pilot: Pilot, states=lifecycle.EDITABLE, what="change its workgroups"):
    refuse_inactive(by)
    if not can_manage(by, pilot):
        raise NotAllowed("Only the pilot's sponsor may change its workgroups.")
    if pilot.status not in states:
        raise StateConflict(f"A {pilot.status} pilot cannot {what}.", code="invalid_state")


@recorded_by
@transaction.atomic
def workgroup_create(
    *, pilot: Pilot, by, name: str, supervisor: Person, cadence_days: int = 14
) -> Workgroup:
    """A new workgroup with its (unsigned) charter, while the pilot is being set up."""
    _require_manager(by, pilot, what="get new workgroups")
    check_not_sponsor(pilot, supervisor, field="supervisor")
    if pilot.workgroups.filter(name=name).exists():
        raise DomainError(
            "This pilot already has a workgroup of that name.",
            fields={"name": ["Choose another name."]},
        )
    workgroup = Workgroup(pilot=pilot, name=name, supervisor=supervisor, cadence_days=cadence_days)
    fields_check(workgroup, ["name", "cadence_days"])
    workgroup.save()
    Charter.objects.create(workgroup=workgroup)
    _ask_to_sign(workgroup)
    return workgroup


def _ask_to_sign(workgroup: Workgroup) -> None:
    """E-mail the supervisor a link to their charter, once the write commits."""
    enqueue("pilots.tasks.email_charter_request", workgroup_id=workgroup.pk)


@recorded_by
@transaction.atomic
def workgroup_update(
    *,
    workgroup: Workgroup,
    by,
    name: str | None = None,
    cadence_days: int | None = None,
    supervisor: Person | None = None,
) -> Workgroup:
    """Rename a workgroup or change its cadence while the pilot lives; change its supervisor
    only before the start. A new supervisor signs afresh, and the sponsor confirms the
    assurance for them again: both were given for someone else."""
    pilot = workgroup.pilot
    _require_manager(by, pilot, LIVE, what="change its workgroups")
    changed = {}
    if name is not None and name != workgroup.name:
        if pilot.workgroups.filter(name=name).exclude(pk=workgroup.pk).exists():
            raise DomainError(
                "This pilot already has a workgroup of that name.",
                fields={"name": ["Choose another name."]},
            )
        changed["name"] = name
    if cadence_days is not None and cadence_days != workgroup.cadence_days:
        changed["cadence_days"] = cadence_days
    new_supervisor = supervisor is not None and supervisor.pk != workgroup.supervisor_id
    if new_supervisor:
        if pilot.status not in lifecycle.EDITABLE:
            raise StateConflict(
                f"The supervisor of a {pilot.status} pilot's workgroup no longer changes.",
                code="invalid_state",
                fields={"supervisor": ["Fixed once the pilot has started."]},
            )
        changed["supervisor"] = supervisor
    for key, value in changed.items():
        setattr(workgroup, key, value)
    fields_check(workgroup, ["name", "cadence_days"])
    if changed:
        workgroup.save(update_fields=list(changed))
    if new_supervisor:
        _charter_reset(workgroup)
        _ask_to_sign(workgroup)
    return workgroup


def _charter_reset(workgroup: Workgroup) -> None:
    charter = _charter(workgroup)
    charter.open_minded = charter.risk_tolerant = charter.customer_commitment = False
    charter.signed_at = charter.signed_by = None
    charter.assurance_confirmed_at = charter.assurance_confirmed_by = None
    charter.requested_at = None
    charter._change_reason = "The workgroup's supervisor changed."
    charter.save()


@recorded_by
@transaction.atomic
def workgroup_remove(*, workgroup: Workgroup, by) -> None:
    """Remove a workgroup, with its members, ties and charter, before the pilot starts."""
    _require_manager(by, workgroup.pilot, what="lose workgroups")
    workgroup.delete()


@recorded_by
@transaction.atomic
def workgroup_member_add(
    *, workgroup: Workgroup, by, person: Person, at: dt.datetime | None = None
) -> WorkgroupMember:
    """Add a member; in a running pilot they take a running seat at once (or are refused)."""
    pilot = workgroup.pilot
    _require_manager(by, pilot, MEMBERS_OPEN, what="take new members")
    check_not_sponsor(pilot, person, field="person")
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


@recorded_by
@transaction.atomic
def workgroup_member_remove(*, workgroup: Workgroup, by, person: Person) -> None:
    _require_manager(by, workgroup.pilot, MEMBERS_OPEN, what="lose members")
    workgroup.memberships.filter(person=person).delete()
    if person.pk != workgroup.supervisor_id:
        RunningAssignment.objects.filter(person=person, workgroup=workgroup).delete()


@recorded_by
@transaction.atomic
def tie_add(
    *, workgroup: Workgroup, by, counterpart: str, frequency: int, strength: int, note: str = ""
) -> Tie:
    _require_manager(by, workgroup.pilot, LIVE, what="record ties")
    tie = Tie(
        workgroup=workgroup,
        counterpart=counterpart,
        frequency=frequency,
        strength=strength,
        note=note,
    )
    fields_check(tie, ["counterpart", "frequency", "strength", "note"])
    tie.save()
    return tie


@recorded_by
@transaction.atomic
def tie_remove(*, tie: Tie, by) -> None:
    _require_manager(by, tie.workgroup.pilot, LIVE, what="change ties")
    tie.delete()


@recorded_by
@transaction.atomic
def competing_initiative_add(
    *, workgroup: Workgroup, by, name: str, owner: str = "", time_share_percent: int
) -> CompetingInitiative:
    _require_manager(by, workgroup.pilot, LIVE, what="record competing initiatives")
    initiative = CompetingInitiative(
        workgroup=workgroup, name=name, owner=owner, time_share_percent=time_share_percent
    )
    fields_check(initiative, ["name", "owner", "time_share_percent"])
    initiative.save()
    return initiative


@recorded_by
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


@recorded_by
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
    refuse_inactive(by)
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


@recorded_by
@transaction.atomic
def charter_confirm_assurance(
    *, workgroup: Workgroup, by, at: dt.datetime | None = None
) -> Charter:
    """The sponsor confirms the pilot will not count against the supervisor's performance."""
    refuse_inactive(by)
    if not can_confirm_assurance(by, workgroup):
        raise NotAllowed(
            "Only the pilot's sponsor may confirm the assurance, and never for themselves."
        )
    _charter_open(workgroup)
    charter = _charter(workgroup)
    charter.assurance_confirmed_at, charter.assurance_confirmed_by = at or timezone.now(), by
    charter.save()
    return charter


@transaction.atomic
def charter_request_email(*, workgroup_id: int) -> bool:
    """E-mail the supervisor once that their charter waits for them: claim the request by
    setting `requested_at`, then send (a failed send rolls the claim back for the retry)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    claimed = Charter.objects.filter(workgroup_id=workgroup_id, requested_at__isnull=True).update(
        requested_at=timezone.now()
    )
    if not claimed:
        return False
    workgroup = Workgroup.objects.select_related("supervisor", "pilot__sponsor").get(
        pk=workgroup_id
    )
    supervisor = workgroup.supervisor
    if not supervisor.email:
        return False
    link = settings.REDEFINE_SITE_URL.rstrip("/") + reverse("pilots:charter", args=[workgroup_id])
    send_mail(
        subject="Sign your supervisor charter",
        message=(
            f"Hello {supervisor.full_name},\n\n"
            f"{workgroup.pilot.sponsor.full_name} asks you to coach the workgroup "
            f"{workgroup.name} in the pilot “{workgroup.pilot.name}”. Before it starts, read "
            f"and sign your charter:\n\n{link}\n\n"
            "If you have no login yet, your HR admin will send you an invitation."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[supervisor.email],
    )
    return True

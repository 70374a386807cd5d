"""Who may do what with pilots: one function per question, used by services, pages and API.
Which pilots a person may *see* is decided once, in `Pilot.objects.visible_to`.

Separation of duties lives here too: a pilot's sponsor is never a supervisor or member of
its workgroups, a charter is signed by its supervisor's own login, and approval takes a
portfolio leader other than the sponsor (self-approval only where the organisation allows it
and nobody else could approve)."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from core.errors import DomainError, NotAllowed
from core.roles import PORTFOLIO_PERMISSION, Role, has_role, sees_portfolio
from people.models import Person
from people.permissions import refuse_inactive
from pilots.lifecycle import EDITABLE
from pilots.models import Pilot, PilotStatus, Workgroup


def _person_of(user) -> Person | None:
    if not user or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def can_manage(user, pilot: Pilot) -> bool:
    """The sponsor runs the pilot: edits it, its workgroups, and takes its lifecycle moves."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    person = _person_of(user)
    return person is not None and pilot.sponsor_id == person.pk


def can_create_pilot(user) -> bool:
    """Leaders sponsor pilots; they need a Person to be the sponsor."""
    if not user or not user.is_authenticated:
        return False
    return user.is_superuser or (has_role(user, Role.LEADER) and hasattr(user, "person"))


def can_choose_sponsor(user) -> bool:
    """A portfolio leader may set up a pilot for another sponsor; other leaders sponsor theirs."""
    return sees_portfolio(user)


def is_supervisor_of(user, workgroup: Workgroup) -> bool:
    """The workgroup's own supervisor, in their own login: no superuser, sponsor or HR admin
    acts for them. The one supervisor check (charters here, cycles in coaching)."""
    person = _person_of(user)
    return person is not None and workgroup.supervisor_id == person.pk


def can_sign_charter(user, workgroup: Workgroup) -> bool:
    """Only the workgroup's own supervisor acknowledges its charter."""
    return is_supervisor_of(user, workgroup)


def can_confirm_assurance(user, workgroup: Workgroup) -> bool:
    """The sponsor confirms the assurance, never for themselves (a sponsor who somehow sits
    as the group's supervisor would be protecting their own metrics)."""
    return can_manage(user, workgroup.pilot) and not is_supervisor_of(user, workgroup)


# --- separation of duties -------------------------------------------------------------------


class SponsorInWorkgroup(DomainError):
    """The pilot's sponsor was named supervisor or member of one of its workgroups."""

    code = "sponsor_in_workgroup"


def check_not_sponsor(pilot: Pilot, person: Person | None, *, field: str) -> None:
    """Refuse a sponsor as supervisor or member of their own pilot's workgroups: they would
    choose the baseline window and confirm the assurance that protects themselves."""
    if person is not None and person.pk == pilot.sponsor_id:
        role = "supervisor" if field == "supervisor" else "member"
        raise SponsorInWorkgroup(
            f"{person.full_name} sponsors this pilot, so they cannot also be a {role} of its "
            "workgroups: the sponsor confirms the supervisors' protection and must not protect "
            "themselves. Ask another leader to sponsor it, or choose someone else.",
            fields={field: ["The pilot's sponsor cannot be in its workgroups."]},
        )


def sponsor_seats(pilot: Pilot) -> bool:
    """Whether the sponsor sits in one of the pilot's workgroups (data from before the rule,
    or written around the services): such a pilot cannot start."""
    return (
        Workgroup.objects.filter(pilot=pilot)
        .filter(Q(supervisor_id=pilot.sponsor_id) | Q(memberships__person_id=pilot.sponsor_id))
        .exists()
    )


def other_portfolio_leaders(pilot: Pilot):
    """Active logins holding the portfolio right through a role grant, the sponsor's aside.
    Superusers are the installation's technical accounts and do not count as leaders."""
    app_label, codename = PORTFOLIO_PERMISSION.split(".")
    grant = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    users = get_user_model().objects.filter(grant, is_active=True, person__active=True)
    return users.exclude(person__pk=pilot.sponsor_id)


def may_self_approve(pilot: Pilot) -> bool:
    """A one-leader organisation may let the sponsor approve their own pilot."""
    from portfolio.models import OrganisationSettings  # portfolio sits above pilots

    # One query, not load(): the pilot page asks this for every draft it shows its sponsor.
    if not OrganisationSettings.objects.filter(pk=1, allow_self_approval=True).exists():
        return False
    return not other_portfolio_leaders(pilot).exists()


def is_self_approval(user, pilot: Pilot) -> bool:
    person = _person_of(user)
    return person is not None and person.pk == pilot.sponsor_id


def can_approve(user, pilot: Pilot) -> bool:
    """A portfolio leader other than the sponsor approves; the sponsor only by self-approval."""
    if is_self_approval(user, pilot):
        return may_self_approve(pilot)
    return sees_portfolio(user)


def approval_refusal(user, pilot: Pilot) -> NotAllowed:
    if is_self_approval(user, pilot):
        return NotAllowed(
            "A pilot is approved by a portfolio leader other than its sponsor. Ask another "
            "portfolio leader; an organisation with a single leader may allow self-approval "
            "in its settings.",
            code="approval_needs_another_leader",
        )
    return NotAllowed("Only a portfolio leader other than the pilot's sponsor may approve it.")


def can_take_move(user, pilot: Pilot, name: str) -> bool:
    """Approval belongs to a portfolio leader other than the sponsor; every other move to the
    sponsor, who commits to the pilot and answers for it."""
    if name == "approve":
        return can_approve(user, pilot)
    return can_manage(user, pilot)


def require_move(user, pilot: Pilot, name: str, label: str) -> None:
    refuse_inactive(user)
    if can_take_move(user, pilot, name):
        return
    if name == "approve":
        raise approval_refusal(user, pilot)
    raise NotAllowed(f"Only the pilot's sponsor may {label} it.")


# --- the same rules as lists: what waits for a person ---------------------------------------


def charters_to_sign(user):
    """Workgroups whose charter this login may sign (`can_sign_charter`) and has not yet,
    while the pilot can still be edited."""
    if _person_of(user) is None:
        return Workgroup.objects.none()
    return Workgroup.objects.filter(
        supervisor__user=user, pilot__status__in=EDITABLE, charter__signed_at__isnull=True
    )


def assurances_to_confirm(user):
    """Workgroups of the pilots this login sponsors whose assurance waits for them
    (`can_confirm_assurance`: never for a group the sponsor would supervise)."""
    if _person_of(user) is None:
        return Workgroup.objects.none()
    return Workgroup.objects.filter(
        pilot__sponsor__user=user,
        pilot__status__in=EDITABLE,
        charter__assurance_confirmed_at__isnull=True,
    ).exclude(supervisor__user=user)


def drafts_to_approve(user):
    """Drafts with a workgroup that this portfolio leader may approve (`can_approve`): another
    leader's, never their own (self-approval is decided pilot by pilot, on the pilot page)."""
    if not sees_portfolio(user):
        return Pilot.objects.none()
    return (
        Pilot.objects.visible_to(user)
        .filter(status=PilotStatus.DRAFT, pk__in=Workgroup.objects.values("pilot_id"))
        .exclude(sponsor__user=user)
    )

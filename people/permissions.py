"""Who may do what with people, and the one check every write service makes first: a person
who left (inactive) writes nothing, whatever channel their request came through."""

from core.errors import NotAllowed


class PersonInactive(NotAllowed):
    """The acting person is inactive: deprovisioned or left (HTTP 403 `person_inactive`)."""

    code = "person_inactive"


def refuse_inactive(user) -> None:
    """Raise `PersonInactive` when a login acts for an inactive person (or is disabled).

    Deactivation already disables the login and deletes its sessions, but a request that was
    in flight, a form opened before, or a login whose flag was changed elsewhere must still be
    refused, so the person's state is read from the database, not from the cached user.
    Machine clients and the system (`user` None or anonymous) are judged by their scopes."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    from people.models import Person

    inactive = Person.objects.filter(user_id=user.pk, active=False).exists()
    if inactive or not user.is_active:
        raise PersonInactive(
            "Your person record is inactive (you left or were deprovisioned), so you can no "
            "longer change anything. Ask an HR admin if this is a mistake."
        )


# --- people data on a need-to-know basis ----------------------------------------------------
# A member sees themselves and the names of their own workgroup; a supervisor the people of
# the groups they coach; a sponsor the people of their pilots. Leaders also find anyone by
# name (and external id) in the person picker, to set up pilots. E-mails, managers and org
# placement of others only for HR admins, portfolio leaders and API clients with people:read.

PERSON_DETAILS = ("email", "org_unit_external_id", "manager_external_id")


def sees_everyone(user) -> bool:
    """Every row and every field: HR admins, portfolio leaders (and superusers)."""
    from core.roles import is_hr_admin, sees_portfolio

    return bool(user and user.is_authenticated) and (is_hr_admin(user) or sees_portfolio(user))


def finds_anyone_by_name(user) -> bool:
    """Leaders set up pilots and choose their supervisors and members from the whole
    organisation: they read every active person's name and external id, nothing more."""
    from core.roles import Role, has_role

    return bool(user and user.is_authenticated) and has_role(user, Role.LEADER)


def known_people_ids(user):
    """Ids of the people the user works with: themselves, their workgroups (as member or
    supervisor) with their supervisors and members, and the groups of pilots they sponsor."""
    from django.db.models import Q

    from pilots.models import Workgroup, WorkgroupMember

    groups = Workgroup.objects.filter(
        Q(supervisor__user=user) | Q(memberships__person__user=user) | Q(pilot__sponsor__user=user)
    ).values("pk")
    members = WorkgroupMember.objects.filter(workgroup__in=groups).values("person_id")
    supervisors = Workgroup.objects.filter(pk__in=groups).values("supervisor_id")
    return Q(user=user) | Q(pk__in=members) | Q(pk__in=supervisors)


def visible_people(queryset, user):
    """The rows of `queryset` the user may read (PersonQuerySet.visible_to)."""
    if not user or not user.is_authenticated:
        return queryset.none()
    if sees_everyone(user) or finds_anyone_by_name(user):
        return queryset
    return queryset.filter(known_people_ids(user))


def sees_details_of(user, person, *, client=None) -> bool:
    """E-mail, manager and org unit: one's own, or with a role (or token) that needs them."""
    if client is not None:
        return True  # the view's scope (people:read) already let the client in
    if user and user.is_authenticated and person.user_id == user.pk:
        return True
    return sees_everyone(user)


def person_fields_for(data: dict, person, *, user, client=None) -> dict:
    """The API's person shape for this viewer: the contract's field names always, the
    details null where the viewer may not read them."""
    if sees_details_of(user, person, client=client):
        return data
    return {**data, **{name: None for name in PERSON_DETAILS if name in data}}


# --- managing people and their logins --------------------------------------------------------
# HR admins manage people: invite them to log in, grant and withdraw roles, deactivate and
# reactivate. Portfolio leaders read the people pages. Nobody changes their own access: an HR
# admin who withdrew their own HR admin role, or deactivated themselves, could lock the
# organisation out, and one who granted themselves a role would need nobody's agreement.


def can_list_people(user) -> bool:
    """The people pages: HR admins, and portfolio leaders read-only."""
    return sees_everyone(user)


def can_manage_people(user) -> bool:
    from core.roles import is_hr_admin

    return bool(user and user.is_authenticated) and is_hr_admin(user)


def _is_self(user, person) -> bool:
    return person.user_id is not None and person.user_id == user.pk


def invite_refusal(user, person) -> str | None:
    """Why `user` may not invite `person` to log in, or None when they may."""
    if not can_manage_people(user):
        return "Only HR admins invite people to log in."
    if _is_self(user, person):
        return "You have a login already."
    return None


def role_change_refusal(user, person, role: str, *, grant: bool) -> str | None:
    """Why `user` may not grant (or withdraw) `role` for `person`, or None when they may."""
    from core.roles import Role

    if not can_manage_people(user):
        return "Only HR admins grant and withdraw roles."
    if _is_self(user, person) and not grant and role == Role.HR_ADMIN:
        return (
            "You cannot withdraw your own HR admin role: the organisation could be left "
            "without one. Ask another HR admin."
        )
    if _is_self(user, person):
        return "Nobody changes their own roles: ask another HR admin."
    return None


def activation_refusal(user, person) -> str | None:
    """Why `user` may not deactivate or reactivate `person`, or None when they may."""
    if not can_manage_people(user):
        return "Only HR admins deactivate and reactivate people."
    if _is_self(user, person):
        return "You cannot deactivate or reactivate yourself: ask another HR admin."
    return None

"""Who may do what with goals — the one home of these rules (services, pages, the API and
`Goal.objects.visible_to` all ask here).

- Reading: anyone signed in with a Redefine role (leader, supervisor, member, HR admin, or
  the portfolio right) reads every goal: alignment only works when people see the whole
  cascade. A login without a role reads none; machine clients read with `goals:read`.
- Managing (create, edit, delete, add "contributes to" links): HR admins and portfolio
  leaders everywhere; the head of an org unit (`UnitHead`) for goals whose org unit is that
  unit or below it. A head may hang a goal of their subtree under a parent outside it: that
  is what aligning upwards means.
- The goals a pilot serves are named by the pilot's sponsor (pilots.permissions.can_manage).
"""

from core.roles import is_hr_admin, roles_of, sees_portfolio
from people.models import OrgUnit
from pilots.permissions import can_manage as can_manage_pilot


def _person(user):
    return getattr(user, "person", None) if user and user.is_authenticated else None


def manages_everything(user) -> bool:
    return bool(user and user.is_authenticated) and (is_hr_admin(user) or sees_portfolio(user))


def can_read_goals(user) -> bool:
    if not user or not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_of(user)) or sees_portfolio(user)


def headed_subtree_ids(user) -> set[int]:
    """Ids of every org unit the user heads, with all units below them (two queries, cached
    on the user object for the request)."""
    cached = getattr(user, "_redefine_headed_units", None)
    if cached is not None:
        return cached
    person = _person(user)
    heads = set(person.headed_units.values_list("org_unit_id", flat=True)) if person else set()
    cached = unit_subtrees(heads) if heads else set()
    if user is not None:
        user._redefine_headed_units = cached
    return cached


def unit_subtrees(unit_ids: set[int]) -> set[int]:
    """The units and every unit below them: one query over (id, parent) pairs, walked here,
    since org units are a few thousand rows at most and this avoids a query per level."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in OrgUnit.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = set(), list(unit_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, ()))
    return found


def can_manage_unit(user, org_unit_id: int | None) -> bool:
    """May the user create or change goals of this org unit?"""
    if manages_everything(user):
        return True
    return org_unit_id is not None and org_unit_id in headed_subtree_ids(user)


def can_manage_goal(user, goal) -> bool:
    return can_manage_unit(user, goal.org_unit_id)


def can_create_goals(user) -> bool:
    """Whether to offer "New goal" at all: managers of everything, or heads of a unit."""
    return manages_everything(user) or bool(headed_subtree_ids(user))


def can_link_contribution(user, from_goal) -> bool:
    """A "contributes to" link is a claim the contributing goal makes: its manager adds it."""
    return can_manage_goal(user, from_goal)


def can_set_pilot_goals(user, pilot) -> bool:
    return can_manage_pilot(user, pilot)


def manageable_units(user):
    """The org units the user may create goals for (the choices of the goal form)."""
    units = OrgUnit.objects.order_by("name", "id")
    if manages_everything(user):
        return units
    return units.filter(pk__in=headed_subtree_ids(user))

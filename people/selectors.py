"""Reads of the people app that the pages and the API share: a person's history, and the
people list with each person's org unit path, manager, roles and last login."""

from django.contrib.auth.models import Group
from django.db.models import Prefetch

from core.audit import Entry, Names, entries, newest_first, prepare
from core.roles import GRANTABLE_ROLES
from people.models import OrgUnit, Person


def person_history(person: Person) -> list[Entry]:
    """Every change of the person's record and every role grant and withdrawal of their
    login, newest first (three queries, plus one per kind of name shown: logins, API
    clients, org units, managers)."""
    names = Names()
    records = prepare(Person, person.history.all(), names)
    grants = _role_grant_records(person, names)
    names.fetch()
    found = entries(Person, records, names, lambda record, _: record.full_name)
    return newest_first(found + [_role_entry(record, names) for record in grants])


def _role_grant_records(person: Person, names: Names) -> list:
    from hrapi.models import RoleGrant

    if person.user_id is None:
        return []
    records = RoleGrant.history.filter(user_id=person.user_id).select_related("group")
    return prepare(RoleGrant, records, names)


def _role_entry(record, names: Names) -> Entry:
    """A grant (created) or a withdrawal (deleted) of a role, and through which access
    group when an identity provider's group push made it."""
    from core.audit import actor_of

    actor_type, actor, actor_label = actor_of(record, names)
    role = GRANTABLE_ROLES.get(record.role, record.role)
    source = f" through the access group {record.group.display_name}" if record.group else ""
    return Entry(
        at=record.history_date,
        actor_type=actor_type,
        actor=actor,
        subject_type="rolegrant",
        subject_id=record.id,
        subject=f"{role} role{source}",
        action="granted" if record.history_type == "+" else "withdrawn",
        reason=record.history_change_reason or "",
        actor_label=actor_label,
    )


def org_unit_paths(units) -> dict[int, str]:
    """Each unit's path from its root, "Claims › Claims team 1": one query for all of them,
    the names along the way collected by django-tree-queries' recursive query."""
    pks = {u.pk for u in units if u is not None}
    if not pks:
        return {}
    return {unit.pk: unit.path for unit in OrgUnit.objects.with_paths().filter(pk__in=pks)}


def people_list(queryset):
    """People with what the list shows: their org unit, manager and login joined, and the
    login's role groups in one more query for the page."""
    roles = Prefetch("user__groups", queryset=Group.objects.filter(name__in=GRANTABLE_ROLES))
    return queryset.select_related("org_unit", "manager", "user").prefetch_related(roles)


def label_people(people) -> None:
    """Give each person of a page (already fetched by `people_list`) `org_unit_path` and
    `role_labels`, with one query for the paths of all their org units."""
    people = list(people)
    paths = org_unit_paths(p.org_unit for p in people)
    for person in people:
        person.org_unit_path = paths.get(person.org_unit_id)
        groups = person.user.groups.all() if person.user else []
        person.role_labels = [GRANTABLE_ROLES[g.name] for g in groups]


def person_pilots(person: Person) -> list[dict]:
    """The pilots the person sponsors, and the workgroups they supervise or belong to, each
    as {pilot, workgroup, as}, in three queries."""
    from pilots.models import Pilot, Workgroup, WorkgroupMember

    rows = [
        {"pilot": pilot, "workgroup": None, "as": "Sponsor"}
        for pilot in Pilot.objects.filter(sponsor=person).order_by("name", "id")
    ]
    rows += [
        {"pilot": group.pilot, "workgroup": group, "as": "Supervisor"}
        for group in Workgroup.objects.filter(supervisor=person).select_related("pilot")
    ]
    rows += [
        {"pilot": seat.workgroup.pilot, "workgroup": seat.workgroup, "as": "Member"}
        for seat in WorkgroupMember.objects.filter(person=person).select_related("workgroup__pilot")
    ]
    return rows

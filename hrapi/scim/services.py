"""SCIM writes. Users go through the people services (person_create, person_update,
person_deactivate), so SCIM and the REST API keep one set of rules; what the HR contract has
no field for is kept as sent in ScimProfile. Groups are access groups; the roles they grant
follow every membership change (hrapi.services.access_roles_sync).

Each write locks its row, then checks If-Match against the version the client saw.
"""

from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from scim2_models import (
    InvalidValueException,
    MutabilityException,
    NotFoundException,
    PatchOp,
    PreconditionFailedException,
    UniquenessException,
)

from core.filters import MAX_ID
from core.history import bulk_create_recorded
from hrapi.models import AccessGroup, AccessGroupMembership, ScimEmail, ScimProfile
from hrapi.scim.resources import (
    NAME_PARTS,
    group_fields,
    group_version,
    profile_of,
    stored_group,
    stored_user,
    user_fields,
    user_version,
)
from hrapi.scim.schemas import POLICY, Group, User
from hrapi.services import access_roles_sync
from people.models import OrgUnit, Person
from people.services import (
    person_create,
    person_deactivate,
    person_reactivate,
    person_reprovision,
    person_update,
)

FULL_NAME_LENGTH = 200
EXTERNAL_ID_LENGTH = 255


def check_if_match(if_match: str | None, current: str) -> None:
    """RFC 7232 weak comparison: `*` or any listed tag equal to the current one ignoring W/."""
    if if_match is None or if_match.strip() == "*":
        return
    tags = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if current.removeprefix("W/") not in tags:
        raise PreconditionFailedException(
            detail=f"The resource has changed: its version is now {current}."
        )


# --- users --------------------------------------------------------------------------------------


def user_for_write(person_id: int) -> Person:
    """The person, locked for this transaction, with what stored_user reads."""
    locked = Person.objects.provisioned().select_for_update().filter(pk=person_id)
    if not locked.values_list("pk", flat=True):
        raise NotFoundException(detail=f"No User {person_id}.")
    return Person.objects.with_relations().select_related("scim").get(pk=person_id)


@transaction.atomic
def scim_user_create(*, user: User) -> Person:
    fields = user_fields(user)
    existing = Person.objects.filter(external_id__iexact=fields["user_name"]).first()
    if existing and existing.deprovisioned_at is None:
        raise UniquenessException(
            detail=f"A User with userName {existing.external_id!r} already exists."
        )
    # A person an identity provider deleted earlier comes back as the same person.
    return _write_user(existing, fields)


@transaction.atomic
def scim_user_replace(*, person_id: int, user: User, if_match: str | None = None) -> Person:
    person = user_for_write(person_id)
    check_if_match(if_match, user_version(person))
    return _write_user(person, user_fields(user))


@transaction.atomic
def scim_user_patch(*, person_id: int, patch: PatchOp, if_match: str | None = None) -> Person:
    person = user_for_write(person_id)
    check_if_match(if_match, user_version(person))
    before = stored_user(person)
    after = before.model_copy(deep=True)
    patch.patch(after, POLICY)
    fields = user_fields(after)
    _keep_derived(fields, user_fields(before), person)
    return _write_user(person, fields)


@transaction.atomic
def scim_user_delete(*, person_id: int, if_match: str | None = None) -> None:
    """Deactivate (through person_deactivate), leave every access group, and hide from SCIM
    (RFC 7644 §3.6); the person and their history stay."""
    person = user_for_write(person_id)
    check_if_match(if_match, user_version(person))
    person_deactivate(person=person, deprovisioned=True)
    groups = list(AccessGroup.objects.filter(memberships__person=person))
    AccessGroupMembership.objects.filter(person=person).delete()
    _bump_groups(groups)
    access_roles_sync(person_ids=[person.pk])


def _keep_derived(fields: dict, before: dict, person: Person) -> None:
    """A PATCH that changes a name part without `formatted` makes the full name follow the
    parts again; a department it leaves alone keeps its stored state (never sent, or
    removed) rather than the org unit name shown in its place."""
    parts = [field for field, _ in NAME_PARTS]
    name, old = fields["name"], before["name"]
    if name["formatted"] == old["formatted"] and any(name[p] != old[p] for p in parts):
        name["formatted"] = ""
    if fields["department"] == before["department"]:
        profile = profile_of(person)
        fields["department"] = profile.department if profile else None
    elif fields["department"] is None:
        fields["department"] = ""  # removed, even where only the org unit's name showed


def _write_user(person: Person | None, fields: dict) -> Person:
    data = {
        "external_id": _user_name(person, fields["user_name"]),
        "full_name": _full_name(fields),
        "email": _contract_email(fields["emails"]),
        "manager_external_id": _manager(fields["manager"], person),
    }
    unit = _org_unit(fields["department"])
    if unit is not None:
        data["org_unit_external_id"] = unit.external_id
    person = person_update(person=person, data=data) if person else person_create(data=data)
    if fields["active"] and not person.active:
        person_reactivate(person=person)  # the login comes back too
    elif not fields["active"]:
        person_deactivate(person=person)  # ends the login and its sessions
    person_reprovision(person=person)
    _write_profile(person, fields)
    access_roles_sync(person_ids=[person.pk])
    return Person.objects.with_relations().select_related("scim").get(pk=person.pk)


def _user_name(person: Person | None, user_name: str) -> str:
    """userName is the HR external_id, which other feeds key on: a rename would split one
    person into two at the next HR import, so it is refused as in the REST API. A change of
    case only is no rename (external ids are unique ignoring case)."""
    if person is None:
        return user_name
    if user_name.lower() != person.external_id.lower():
        raise MutabilityException(
            detail=f"userName is the HR external_id {person.external_id!r} and cannot change."
        )
    return person.external_id


def _full_name(fields: dict) -> str:
    name = fields["name"]
    joined = " ".join(name[field] for field, _ in NAME_PARTS if name[field])
    full = name["formatted"] or joined or fields["display_name"] or fields["user_name"]
    if len(full) > FULL_NAME_LENGTH:
        raise InvalidValueException(detail=f"The name is longer than {FULL_NAME_LENGTH}.")
    return full


def _contract_email(emails: list[dict]) -> str:
    """The person's e-mail: the primary one, else the work one, else the first."""
    chosen = (
        next((e for e in emails if e["primary"]), None)
        or next((e for e in emails if e["type"].lower() == "work"), None)
        or (emails[0] if emails else None)
    )
    return chosen["value"] if chosen else ""


def _manager(value: str | None, person: Person | None) -> str | None:
    if not value:
        return None
    pk = int(value) if value.isdigit() and int(value) <= MAX_ID else None
    manager = Person.objects.provisioned().filter(pk=pk).first() if pk else None
    if manager is None:
        raise InvalidValueException(detail=f"No User with id {value!r} to be the manager.")
    if person is not None and manager.pk == person.pk:
        raise InvalidValueException(detail="A User cannot be their own manager.")
    return manager.external_id


def _org_unit(department: str | None) -> OrgUnit | None:
    """The org unit whose external_id, else whose only name, is the department."""
    if not department:
        return None
    units = OrgUnit.objects.filter(active=True)
    by_id = units.filter(external_id__iexact=department).first()
    named = by_id and [by_id] or list(units.filter(name__iexact=department)[:2])
    return named[0] if len(named) == 1 else None


def _write_profile(person: Person, fields: dict) -> None:
    profile, created = ScimProfile.objects.select_for_update().get_or_create(person=person)
    if len(fields["external_id"]) > EXTERNAL_ID_LENGTH:
        raise InvalidValueException(detail=f"externalId is over {EXTERNAL_ID_LENGTH} characters.")
    values = {"external_id": fields["external_id"], "display_name": fields["display_name"]}
    values |= fields["name"]
    department = fields["department"]
    # None from the body: never sent (stays None) or removed (becomes "").
    values["department"] = (
        department if department is not None or profile.department is None else ""
    )
    changed = {k: v for k, v in values.items() if getattr(profile, k) != v}
    emails_changed = _write_emails(profile, fields["emails"])
    if changed or emails_changed or created:
        for key, value in changed.items():
            setattr(profile, key, value)
        profile.version = F("version") + (0 if created else 1)
        profile.save()


def _write_emails(profile: ScimProfile, emails: list[dict]) -> bool:
    keys = ("value", "type", "primary", "display")
    wanted = [tuple(e[k] for k in keys) for e in emails]
    current = list(profile.emails.order_by("position").values_list(*keys))
    if current == wanted:
        return False
    profile.emails.all().delete()
    ScimEmail.objects.bulk_create(
        ScimEmail(profile=profile, position=i, **dict(zip(keys, row, strict=True)))
        for i, row in enumerate(wanted)
    )
    return True


# --- groups -------------------------------------------------------------------------------------


def group_for_write(group_id: int) -> AccessGroup:
    group = AccessGroup.objects.select_for_update().filter(pk=group_id).first()
    if group is None:
        raise NotFoundException(detail=f"No Group {group_id}.")
    return group


@transaction.atomic
def scim_group_create(*, group: Group) -> AccessGroup:
    return _write_group(None, group_fields(group))


@transaction.atomic
def scim_group_replace(*, group_id: int, group: Group, if_match: str | None = None):
    current = group_for_write(group_id)
    check_if_match(if_match, group_version(current))
    return _write_group(current, group_fields(group))


@transaction.atomic
def scim_group_patch(*, group_id: int, patch: PatchOp, if_match: str | None = None):
    current = group_for_write(group_id)
    check_if_match(if_match, group_version(current))
    # Member ids only: prefetching their people would list 1,000 ids as ORs on SQLite.
    members = Prefetch("memberships", queryset=AccessGroupMembership.objects.order_by("person_id"))
    resource = stored_group(AccessGroup.objects.prefetch_related(members).get(pk=current.pk))
    patch.patch(resource, POLICY)
    return _write_group(current, group_fields(resource))


@transaction.atomic
def scim_group_delete(*, group_id: int, if_match: str | None = None) -> None:
    """Delete the group and its memberships; the roles it granted go with them."""
    group = group_for_write(group_id)
    check_if_match(if_match, group_version(group))
    people = list(group.memberships.values_list("person_id", flat=True))
    group.memberships.all().delete()
    access_roles_sync(person_ids=people)
    _bump_people(people)
    group.delete()


def _write_group(group: AccessGroup | None, fields: dict) -> AccessGroup:
    if len(fields["external_id"]) > EXTERNAL_ID_LENGTH:
        raise InvalidValueException(detail=f"externalId is over {EXTERNAL_ID_LENGTH} characters.")
    members = _member_ids(fields["members"])
    values = {"display_name": fields["display_name"], "external_id": fields["external_id"]}
    if group is None:
        group = AccessGroup.objects.create(**values)
        _bump_people(_set_members(group, members))
        return group
    changed = {k: v for k, v in values.items() if getattr(group, k) != v}
    moved = _set_members(group, members)
    if changed or moved:
        for key, value in changed.items():
            setattr(group, key, value)
        group.version += 1  # the row is locked: no lost update
        group.save()
    _bump_people(moved)
    access_roles_sync(person_ids=sorted(moved))
    return group


def _member_ids(members: list[tuple[str | None, str | None]]) -> set[int]:
    """Members must be Users Redefine knows: a Group, an unknown id or a number no primary
    key can hold is refused whole (400), never half-applied."""
    for _, kind in members:
        if kind and kind.lower() != "user":
            raise InvalidValueException(detail=f"Group members are Users, not {kind!r}.")
    values = [value or "" for value, _ in members]
    pks = {int(v) for v in values if v.isdigit() and int(v) <= MAX_ID}
    found = set(Person.objects.provisioned().filter(pk__in=pks).values_list("pk", flat=True))
    missing = [v for v in values if not (v.isdigit() and int(v) in found)]
    if missing:
        raise InvalidValueException(detail=f"No User with id {', '.join(missing[:10])}.")
    return found


def _set_members(group: AccessGroup, wanted: set[int]) -> set[int]:
    """Add and remove memberships (each with its history row); returns who moved."""
    current = set(group.memberships.values_list("person_id", flat=True))
    added, removed = wanted - current, current - wanted
    bulk_create_recorded(
        AccessGroupMembership,
        [AccessGroupMembership(group=group, person_id=pk) for pk in sorted(added)],
        batch_size=1000,
    )
    if removed:
        group.memberships.filter(person_id__in=removed).delete()
    return added | removed


def _bump_people(person_ids) -> None:
    """A membership change is a change of each member's User (its `groups`): new versions."""
    person_ids = set(person_ids)
    if not person_ids:
        return
    known = set(
        ScimProfile.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True)
    )
    missing = [ScimProfile(person_id=pk) for pk in person_ids - known]
    ScimProfile.objects.bulk_create(missing, ignore_conflicts=True)  # a concurrent write may win
    ScimProfile.objects.filter(person_id__in=person_ids).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def _bump_groups(groups: list[AccessGroup]) -> None:
    AccessGroup.objects.filter(pk__in=[g.pk for g in groups]).update(
        version=F("version") + 1, updated_at=timezone.now()
    )

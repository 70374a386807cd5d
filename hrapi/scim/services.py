"""SCIM writes. Users go through the people upsert (so cycles and references are checked
once, the same way as the REST API); Groups are org units and their members."""

import secrets

from django.db import transaction

from core.api import InvalidRows
from hrapi.scim.errors import ScimError, bad_request
from people.models import OrgUnit, Person
from people.services import (
    external_id_change,
    org_unit_deactivate,
    org_unit_members_set,
    org_units_upsert,
    people_upsert,
    person_deactivate,
    person_reprovision,
)


def _conflict(detail: str) -> ScimError:
    return ScimError(409, detail, "uniqueness")


def _manager_external_id(manager_id: str | None, person: Person | None) -> str | None:
    if manager_id is None:
        return None
    manager = Person.objects.filter(pk=int(manager_id) if manager_id.isdigit() else None).first()
    if manager is None:
        raise bad_request(f"No User with id {manager_id!r} to be the manager.")
    if person is not None and manager.pk == person.pk:
        raise bad_request("A user cannot be their own manager.")
    return manager.external_id


def _department(name: str | None) -> list:
    """The org unit named by `department`, if exactly one matches; unknown names are ignored
    (org units are provisioned as Groups or through the REST API)."""
    if not name:
        return []
    units = list(OrgUnit.objects.filter(name__iexact=name, active=True)[:2])
    return units if len(units) == 1 else []


def _upsert_person(data: dict, person: Person | None) -> Person:
    row = {
        "external_id": data["external_id"],
        "full_name": data["full_name"],
        "email": data["email"],
        "active": data["active"],
        "manager_external_id": _manager_external_id(data["manager"], person),
    }
    units = _department(data["department"])
    if units:
        row["org_unit_external_id"] = units[0].external_id
    try:
        people_upsert(rows=[row])
    except InvalidRows as exc:
        raise bad_request("; ".join(f"{e['field']}: {e['message']}" for e in exc.errors)) from exc
    person_reprovision(person=Person.objects.get(external_id=data["external_id"]))
    return Person.objects.with_relations().get(external_id=data["external_id"])


@transaction.atomic
def scim_user_create(*, data: dict) -> Person:
    existing = Person.objects.filter(external_id__iexact=data["external_id"]).first()
    if existing and existing.deprovisioned_at is None:
        raise _conflict(f"A User with userName {data['external_id']!r} already exists.")
    if existing:  # re-provisioning someone an identity system deleted earlier
        data = {**data, "external_id": existing.external_id}
    return _upsert_person(data, existing)


@transaction.atomic
def scim_user_replace(*, person: Person, data: dict) -> Person:
    if data["external_id"] != person.external_id:
        taken = Person.objects.filter(external_id__iexact=data["external_id"]).exclude(pk=person.pk)
        if taken.exists():
            raise _conflict(f"A User with userName {data['external_id']!r} already exists.")
        external_id_change(obj=person, external_id=data["external_id"])
    return _upsert_person(data, person)


@transaction.atomic
def scim_user_delete(*, person: Person) -> None:
    """Deactivate (login and sessions end with it) and hide from SCIM; the person and their
    history stay."""
    person_deactivate(person=person, deprovisioned=True)


def _members(ids: list[str]) -> list[int]:
    pks = {int(i) for i in ids if i.isdigit()}
    found = set(Person.objects.provisioned().filter(pk__in=pks).values_list("pk", flat=True))
    missing = [i for i in ids if not i.isdigit() or int(i) not in found]
    if missing:
        raise bad_request(f"No User with id {', '.join(missing)}.")
    return sorted(found)


def _set_members(unit: OrgUnit, member_ids: list[int]) -> None:
    org_unit_members_set(org_unit=unit, person_ids=member_ids)


def _write_unit(external_id: str, name: str) -> OrgUnit:
    org_units_upsert(rows=[{"external_id": external_id, "name": name, "active": True}])
    return OrgUnit.objects.get(external_id=external_id)


@transaction.atomic
def scim_group_create(*, data: dict) -> OrgUnit:
    external_id = data["external_id"] or f"scim-{secrets.token_hex(6)}"
    existing = OrgUnit.objects.filter(external_id=external_id).first()
    if existing and existing.active:
        raise _conflict(f"A Group with externalId {external_id!r} already exists.")
    members = _members(data["members"])
    unit = _write_unit(external_id, data["name"])
    _set_members(unit, members)
    return unit


@transaction.atomic
def scim_group_replace(*, unit: OrgUnit, data: dict) -> OrgUnit:
    external_id = data["external_id"] or unit.external_id
    if external_id != unit.external_id:
        if OrgUnit.objects.filter(external_id=external_id).exclude(pk=unit.pk).exists():
            raise _conflict(f"A Group with externalId {external_id!r} already exists.")
        external_id_change(obj=unit, external_id=external_id)
    members = _members(data["members"])
    unit = _write_unit(external_id, data["name"])
    _set_members(unit, members)
    return unit


@transaction.atomic
def scim_group_delete(*, unit: OrgUnit) -> None:
    """Deactivate the org unit (its people and history stay); SCIM answers 404 for it."""
    org_unit_deactivate(org_unit=unit)

"""Writes for people and org units: one set-based upsert serves single writes and bulk feeds.

An upsert validates every row first and writes nothing if any row is bad (all-or-nothing).
Rows are keyed by `external_id`; a key missing from a row leaves that value as it is, so a
feed may send only what it owns. Parents and managers may be defined in the same batch, in
any order. Cycles in the org tree or in the management chain are refused.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.api import InvalidRows
from core.errors import DomainError, NotAllowed, StateConflict
from core.history import acting_as, bulk_update_recorded, record_created
from core.roles import is_hr_admin
from core.sessions import sessions_end_for
from people.models import OrgUnit, Person
from people.serializers import BULK_MAX_ROWS, OrgUnitRowSerializer, PersonRowSerializer

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000


@dataclass
class UpsertResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("created", "updated", "unchanged")}


@dataclass(frozen=True)
class _Tree:
    """How one model keys its rows and its self-reference (org unit parent, person manager)."""

    model: type
    row_serializer: type
    ref_field: str  # the row's key naming the parent/manager
    fk: str  # the model's self foreign key
    fields: tuple[str, ...]  # plain fields a row may set
    required: str  # the field a new row must have
    cycle_message: str


ORG_TREE = _Tree(
    OrgUnit,
    OrgUnitRowSerializer,
    "parent_external_id",
    "parent",
    ("name", "kind", "active"),
    "name",
    "This parent would make a cycle in the org tree.",
)
PEOPLE_TREE = _Tree(
    Person,
    PersonRowSerializer,
    "manager_external_id",
    "manager",
    ("full_name", "email", "active"),
    "full_name",
    "This manager would make a cycle in the management chain.",
)


def _row_errors(index: int, detail) -> list[dict]:
    if not isinstance(detail, dict):
        return [{"index": index, "field": "non_field_errors", "message": str(detail)}]
    return [
        {"index": index, "field": name, "message": str(message)}
        for name, messages in detail.items()
        for message in (messages if isinstance(messages, list) else [messages])
    ]


def _validated(tree: _Tree, rows: list) -> tuple[list[tuple[int, dict]], list[dict]]:
    """Shape-check every row: (index, clean row) pairs and the errors of the others."""
    if not isinstance(rows, list) or not rows:
        raise DomainError(
            'Send {"rows": [...]} with at least one row.',
            code="invalid",
            fields={"rows": ["A non-empty list of objects is required."]},
        )
    if len(rows) > BULK_MAX_ROWS:
        raise DomainError(
            f"At most {BULK_MAX_ROWS} rows per request.",
            code="invalid",
            fields={"rows": [f"Ensure this list has at most {BULK_MAX_ROWS} rows."]},
        )
    cleaned, errors, seen = [], [], {}
    for index, row in enumerate(rows):
        serializer = tree.row_serializer(data=row)
        if not isinstance(row, dict):
            errors += _row_errors(index, "Each row must be a JSON object.")
        elif not serializer.is_valid():
            errors += _row_errors(index, serializer.errors)
        elif serializer.validated_data["external_id"] in seen:
            first = seen[serializer.validated_data["external_id"]]
            errors += _row_errors(index, {"external_id": [f"Also in row {first}."]})
        else:
            seen[serializer.validated_data["external_id"]] = index
            cleaned.append((index, serializer.validated_data))
    return cleaned, errors


def _parents(tree: _Tree, cleaned: list[dict], existing: dict) -> dict[str, str | None]:
    """The self-reference each row ends with, by external_id (rows without the key keep theirs)."""
    return {
        row["external_id"]: row[tree.ref_field]
        if tree.ref_field in row
        else getattr(existing.get(row["external_id"]), "ref", None)
        for _, row in cleaned
    }


def _named(rows: list) -> set[str]:
    return {
        r["external_id"]
        for r in rows
        if isinstance(r, dict) and isinstance(r.get("external_id"), str)
    }


def _check_references(tree, cleaned, in_batch, known_outside) -> list[dict]:
    """Every parent/manager must exist or be named in the batch (even by a row that failed its
    own checks: that row is already reported, its dependants need not be)."""
    errors = []
    for index, row in cleaned:
        ref = row.get(tree.ref_field)
        if ref is None:
            continue
        if ref == row["external_id"]:
            errors.append({"index": index, "field": tree.ref_field, "message": tree.cycle_message})
        elif ref not in in_batch and ref not in known_outside:
            errors.append(
                {
                    "index": index,
                    "field": tree.ref_field,
                    "message": f"No {tree.model._meta.verbose_name} with external_id {ref!r}.",
                }
            )
    return errors


def _cycle_errors(tree: _Tree, cleaned: list[dict], wanted: dict[str, str | None]) -> list[dict]:
    """Walk up from every row through the graph as it will be after the write."""
    if not any(wanted.values()):
        return []
    current = dict(
        tree.model.objects.exclude(**{f"{tree.fk}__isnull": True}).values_list(
            "external_id", f"{tree.fk}__external_id"
        )
    )
    cyclic = _on_cycles(current | wanted)
    return [
        {"index": index, "field": tree.ref_field, "message": tree.cycle_message}
        for index, row in cleaned
        if row["external_id"] in cyclic
    ]


def _on_cycles(graph: dict[str, str | None]) -> set[str]:
    """The nodes whose chain of parents leads back to themselves. Each node has one parent,
    so one pass that never walks a node twice finds them all (walking up from every row
    separately took quadratic time on a 10,000-person management chain)."""
    on_path, done, cyclic = set(), set(), set()
    for start in graph:
        path, node = [], start
        while node is not None and node not in done and node not in on_path:
            on_path.add(node)
            path.append(node)
            node = graph.get(node)
        if node in on_path:
            cyclic.update(path[path.index(node) :])
        on_path.clear()
        done.update(path)
    return cyclic


def _upsert(tree: _Tree, rows: list, extra_refs: Callable | None = None) -> UpsertResult:
    cleaned, shape_errors = _validated(tree, rows)
    ids = [row["external_id"] for _, row in cleaned]
    existing = {
        obj.external_id: obj
        for obj in tree.model.objects.filter(external_id__in=ids).annotate(
            ref=F(f"{tree.fk}__external_id")
        )
    }
    refs = {row.get(tree.ref_field) for _, row in cleaned} - {None} - _named(rows)
    ref_pks = dict(tree.model.objects.filter(external_id__in=refs).values_list("external_id", "pk"))
    extra = extra_refs(cleaned) if extra_refs else ({}, [])
    wanted = _parents(tree, cleaned, existing)
    errors = shape_errors + _check_references(tree, cleaned, _named(rows), ref_pks) + extra[1]
    errors += [
        {"index": index, "field": tree.required, "message": "This field is required."}
        for index, row in cleaned
        if row["external_id"] not in existing and tree.required not in row
    ]
    errors = errors or _cycle_errors(tree, cleaned, wanted)
    if errors:
        raise InvalidRows(sorted(errors, key=lambda e: e["index"]))
    return _write(tree, cleaned, existing, ref_pks, wanted, extra[0])


def _write(tree, cleaned, existing, ref_pks, wanted, extra_values) -> UpsertResult:
    result, now = UpsertResult(), timezone.now()
    new_objects, changed = [], []
    for _, row in cleaned:
        values = {name: row[name] for name in tree.fields if name in row}
        values |= extra_values.get(row["external_id"], {})
        obj = existing.get(row["external_id"])
        if obj is None:
            new_objects.append(tree.model(external_id=row["external_id"], **values))
            result.created.append(row["external_id"])
            continue
        differs = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if differs or wanted[row["external_id"]] != obj.ref:
            for name, value in differs.items():
                setattr(obj, name, value)
            obj.updated_at = now
            changed.append(obj)
            result.updated.append(row["external_id"])
        else:
            result.unchanged.append(row["external_id"])
    # The callers (org_units_upsert, people_upsert) hold the transaction.
    created = tree.model.objects.bulk_create(new_objects, batch_size=BATCH_SIZE)
    pks = ref_pks | {o.external_id: o.pk for o in [*created, *existing.values()]}
    _link(tree, created, changed, wanted, pks, now, extra_values)
    return result


def _link(tree, created, changed, wanted, pks, now, extra_values) -> None:
    """Set parents/managers once every row has a primary key, then save the updates."""
    fk_id = f"{tree.fk}_id"
    for obj in [*created, *changed]:
        setattr(obj, fk_id, pks.get(wanted[obj.external_id]))
    linked = [o for o in created if getattr(o, fk_id)]
    if linked:
        tree.model.objects.bulk_update(linked, [fk_id], batch_size=BATCH_SIZE)
    # One history record per row and write: a new row's record shows it as it ended.
    record_created(tree.model, created, batch_size=BATCH_SIZE)
    if changed:
        fields = {*tree.fields, *(k for v in extra_values.values() for k in v), fk_id, "updated_at"}
        bulk_update_recorded(tree.model, changed, sorted(fields), batch_size=BATCH_SIZE)


def _person_org_units(cleaned: list[dict]) -> tuple[dict, list[dict]]:
    """Resolve `org_unit_external_id` for every person row in one query."""
    wanted = {r["org_unit_external_id"] for _, r in cleaned if r.get("org_unit_external_id")}
    pks = dict(OrgUnit.objects.filter(external_id__in=wanted).values_list("external_id", "pk"))
    values, errors = {}, []
    for index, row in cleaned:
        if "org_unit_external_id" not in row:
            continue
        ref = row["org_unit_external_id"]
        if ref is not None and ref not in pks:
            errors.append(
                {
                    "index": index,
                    "field": "org_unit_external_id",
                    "message": f"No org unit with external_id {ref!r}.",
                }
            )
        else:
            values[row["external_id"]] = {"org_unit_id": pks.get(ref)}
    return values, errors


@transaction.atomic
def org_units_upsert(*, rows: list) -> UpsertResult:
    """Create or update org units by external_id, all or nothing (raises InvalidRows)."""
    return _upsert(ORG_TREE, rows)


@transaction.atomic
def people_upsert(*, rows: list) -> UpsertResult:
    """Create or update people by external_id, all or nothing (raises InvalidRows). A row
    that deactivates a person ends their login and sessions; one that reactivates restores
    the login (see person_deactivate)."""
    was_active = dict(
        Person.objects.filter(external_id__in=_named(rows), user__isnull=False).values_list(
            "external_id", "active"
        )
    )
    result = _upsert(PEOPLE_TREE, rows, extra_refs=_person_org_units)
    linked = Person.objects.filter(external_id__in=was_active).select_related("user")
    for person in linked:
        if person.active != was_active[person.external_id]:
            _login_follows(person)
    return result


def _single(upsert: Callable, row: dict) -> None:
    try:
        upsert(rows=[row])
    except InvalidRows as exc:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(error["field"], []).append(error["message"])
        raise DomainError("The request has invalid fields.", code="invalid", fields=fields) from exc


def _create(model, upsert, data: dict):
    if model.objects.filter(external_id=data.get("external_id")).exists():
        raise StateConflict(
            f"A {model._meta.verbose_name} with external_id {data['external_id']!r} exists.",
            code="conflict",
            fields={"external_id": ["Already in use."]},
        )
    _single(upsert, data)
    return model.objects.get(external_id=data["external_id"])


def _update(obj, upsert, data: dict):
    if data.get("external_id", obj.external_id) != obj.external_id:
        raise DomainError(
            "external_id cannot change.",
            code="invalid",
            fields={"external_id": ["external_id cannot change."]},
        )
    _single(upsert, {**data, "external_id": obj.external_id})
    return type(obj).objects.get(pk=obj.pk)


@transaction.atomic
def org_unit_create(*, data: dict) -> OrgUnit:
    return _create(OrgUnit, org_units_upsert, data)


@transaction.atomic
def org_unit_update(*, org_unit: OrgUnit, data: dict) -> OrgUnit:
    return _update(org_unit, org_units_upsert, data)


@transaction.atomic
def person_create(*, data: dict) -> Person:
    return _create(Person, people_upsert, data)


@transaction.atomic
def person_update(*, person: Person, data: dict) -> Person:
    return _update(person, people_upsert, data)


def _login_follows(person: Person) -> None:
    """The linked login is active exactly while the person is; ending it ends every session,
    so the person's next request, from any browser, is anonymous."""
    user = person.user
    if user is None:
        return
    if user.is_active != person.active:
        user.is_active = person.active
        user.save(update_fields=["is_active"])
    if not person.active:
        sessions_end_for(user_id=user.pk)


@transaction.atomic
def person_deactivate(*, person: Person, deprovisioned: bool = False) -> None:
    """End a person's access within the request: inactive, login disabled, sessions deleted.
    People are never deleted: pilots, baselines and history keep pointing at them. An
    identity system's delete also sets `deprovisioned_at` (SCIM then answers 404)."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    changed = ["active"] if person.active else []
    person.active = False
    if deprovisioned and person.deprovisioned_at is None:
        person.deprovisioned_at = timezone.now()
        changed.append("deprovisioned_at")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    _login_follows(person)


@transaction.atomic
def person_reactivate(*, person: Person) -> None:
    """Active again, and so is the linked login (its password unchanged)."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if not person.active:
        person.active = True
        person.save(update_fields=["active", "updated_at"])
    _login_follows(person)


class IdentityConflict(StateConflict):
    code = "user_already_linked"


@transaction.atomic
def person_link_user(*, person: Person, user, by, reason: str) -> Person:
    """The one way a Person's login changes (`user=None` unlinks). `by` is the HR admin who
    decides (never for their own login), an API client of a provisioning system, or None for
    the system itself (the demo, SSO at first sign-in). A reason is required and kept in the
    person's history with the actor. The login of someone inactive stays inactive, and both
    the old and the new login lose their sessions: they were someone else until now."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "Say why the login changes.", code="invalid", fields={"reason": ["Required."]}
        )
    _check_linker(by, user)
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if user is not None and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise IdentityConflict(
            f"The login {user.get_username()!r} belongs to another person already.",
            fields={"user": ["Linked to another person."]},
        )
    old = person.user
    if old == user:
        return person
    with acting_as(**_actor_of(by), reason=reason):
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    for login in {old, user} - {None}:
        sessions_end_for(user_id=login.pk)
    _login_follows(person)
    return person


def _check_linker(by, user) -> None:
    from hrapi.models import ApiClient

    if by is None or isinstance(by, ApiClient):
        return
    if not is_hr_admin(by):
        raise NotAllowed("Only HR admins link logins to people.")
    if user is not None and user.pk == by.pk:
        raise NotAllowed("Nobody links their own login to a person: ask another HR admin.")


def _actor_of(by) -> dict:
    from hrapi.models import ApiClient

    if isinstance(by, ApiClient):
        return {"api_client": by}
    return {"user": by}


@transaction.atomic
def external_id_change(*, obj: Person | OrgUnit, external_id: str) -> None:
    """An identity system renamed the key (SCIM userName or externalId): recorded in history."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if obj.external_id != external_id:
        obj.external_id = external_id
        obj.save(update_fields=["external_id", "updated_at"])


@transaction.atomic
def person_reprovision(*, person: Person) -> None:
    """An identity system provisions again someone it had deleted: SCIM may address them."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.deprovisioned_at is not None:
        person.deprovisioned_at = None
        person.save(update_fields=["deprovisioned_at", "updated_at"])


@transaction.atomic
def org_unit_members_set(*, org_unit: OrgUnit, person_ids: list[int]) -> None:
    """Exactly these people in the unit (a SCIM group's members); each move is in history."""
    leaving = list(Person.objects.filter(org_unit=org_unit).exclude(pk__in=person_ids))
    joining = list(Person.objects.filter(pk__in=person_ids).exclude(org_unit=org_unit))
    now = timezone.now()
    for person in leaving:
        person.org_unit, person.updated_at = None, now
    for person in joining:
        person.org_unit, person.updated_at = org_unit, now
    if leaving or joining:
        fields = ["org_unit", "updated_at"]
        bulk_update_recorded(Person, leaving + joining, fields, batch_size=BATCH_SIZE)


@transaction.atomic
def org_unit_deactivate(*, org_unit: OrgUnit) -> None:
    """Org units are deactivated, not deleted, so people and pilots keep their history."""
    org_unit = OrgUnit.objects.select_for_update().get(pk=org_unit.pk)
    if org_unit.active:
        org_unit.active = False
        org_unit.save(update_fields=["active", "updated_at"])

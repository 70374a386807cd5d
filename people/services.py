"""Writes for people and org units: one set-based upsert serves single writes and bulk feeds;
and, for HR admins on the people pages, a person's access: invitations to log in, roles,
deactivation.

An upsert validates every row first and writes nothing if any row is bad (all-or-nothing).
Rows are keyed by `external_id`; a key missing from a row leaves that value as it is, so a
feed may send only what it owns. Parents and managers may be defined in the same batch, in
any order. Cycles in the org tree or in the management chain are refused.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from core.errors import DomainError, InvalidRows, NotAllowed, StateConflict
from core.history import acting_as, bulk_create_recorded, bulk_update_recorded, record_created
from core.roles import GRANTABLE_ROLES, is_hr_admin
from core.sessions import sessions_end_for
from people.models import Invitation, OrgUnit, Person
from people.permissions import (
    activation_refusal,
    invite_refusal,
    refuse_inactive,
    role_change_refusal,
)
from people.serializers import BULK_MAX_ROWS, OrgUnitRowSerializer, PersonRowSerializer

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# External ids lowered by the database per query (SQLite allows 32,766 parameters; be modest).
KEY_BATCH = 500


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


def _validated(tree: _Tree, rows: list) -> tuple[list[tuple[int, dict]], list[dict], dict]:
    """Shape-check every row: (index, clean row) pairs, the errors of the others, and each
    external id's key as the unique constraint compares it."""
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
    valid, errors = [], []
    for index, row in enumerate(rows):
        serializer = tree.row_serializer(data=row)
        if not isinstance(row, dict):
            errors += _row_errors(index, "Each row must be a JSON object.")
        elif not serializer.is_valid():
            errors += _row_errors(index, serializer.errors)
        else:
            valid.append((index, serializer.validated_data))
    keys = _unique_keys([row["external_id"] for _, row in valid])
    cleaned, seen = [], {}
    for index, row in valid:
        key = keys[row["external_id"]]
        if key in seen:
            errors += _row_errors(index, {"external_id": [f"Also in row {seen[key]}."]})
        else:
            seen[key] = index
            cleaned.append((index, row))
    return cleaned, errors, keys


def _unique_keys(external_ids: list[str]) -> dict[str, str]:
    """Each external id as the unique constraint compares it: LOWER() of the database, not
    Python's str.lower(), which folds letters SQLite's LOWER leaves alone (Â, Ö: SQLite folds
    only A-Z) and differs from PostgreSQL's on a few. Matched in Python, `Âö` beside a stored
    `Âö` looked new and its insert broke the constraint (a 500 schemathesis found)."""
    keys = {}
    with connection.cursor() as cursor:
        for start in range(0, len(external_ids), KEY_BATCH):
            batch = external_ids[start : start + KEY_BATCH]
            values = ", ".join(["(%s)"] * len(batch))  # placeholders only: the ids are params
            sql = f"SELECT column1, LOWER(column1) FROM (VALUES {values}) AS sent"  # noqa: S608
            cursor.execute(sql, batch)
            keys.update(cursor.fetchall())
    return keys


def _stored(tree: _Tree, cleaned: list, keys: dict[str, str]) -> tuple[dict, list[dict]]:
    """The stored rows the batch names, by external_id, in one query matching case-insensitively
    (the expression index of the unique constraint serves it), and the errors of rows naming a
    stored key in another case: `e00001` beside `E00001` would be a second person to us and
    the same one to the HR system. Refused, naming the stored one."""
    sent = {keys[row["external_id"]]: (index, row["external_id"]) for index, row in cleaned}
    existing, errors = {}, []
    found = tree.model.objects.annotate(key=Lower("external_id"), ref=F(f"{tree.fk}__external_id"))
    for obj in found.filter(key__in=sent):
        index, external_id = sent[obj.key]
        if external_id == obj.external_id:
            existing[obj.external_id] = obj
            continue
        errors.append(
            {
                "index": index,
                "field": "external_id",
                "message": f"{tree.model._meta.verbose_name.capitalize()} "
                f"{obj.external_id!r} exists; external ids are unique ignoring case.",
            }
        )
    return existing, errors


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
    cleaned, shape_errors, keys = _validated(tree, rows)
    existing, case_errors = _stored(tree, cleaned, keys)
    wanted = _parents(tree, cleaned, existing)
    # Every parent/manager the rows end with, named or kept: a row without the key keeps its
    # current one, which _link must find too (it set it to None before: a lossy write).
    refs = set(wanted.values()) - {None} - _named(rows)
    ref_pks = dict(tree.model.objects.filter(external_id__in=refs).values_list("external_id", "pk"))
    extra = extra_refs(cleaned) if extra_refs else ({}, [])
    errors = shape_errors + _check_references(tree, cleaned, _named(rows), ref_pks) + extra[1]
    errors += case_errors
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
    stored = model.objects.filter(external_id__iexact=data.get("external_id")).first()
    if stored is not None:
        raise StateConflict(
            f"A {model._meta.verbose_name} with external_id {stored.external_id!r} exists "
            "(external ids are unique ignoring case).",
            code="conflict",
            fields={"external_id": [f"Already in use by {stored.external_id!r}."]},
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


def _check_activation(by, person: Person) -> None:
    """People pages name who acts; feeds, SCIM and the admin (`by` None) are judged before."""
    if by is None:
        return
    refuse_inactive(by)
    refused = activation_refusal(by, person)
    if refused:
        raise NotAllowed(refused)


@transaction.atomic
def person_deactivate(
    *, person: Person, deprovisioned: bool = False, by=None, reason: str = ""
) -> None:
    """End a person's access within the request: inactive, login disabled, sessions deleted.
    People are never deleted: pilots, baselines and history keep pointing at them. An
    identity system's delete also sets `deprovisioned_at` (SCIM then answers 404). An HR
    admin on the people pages is `by`, kept in the history with the reason."""
    _check_activation(by, person)
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    changed = ["active"] if person.active else []
    person.active = False
    if deprovisioned and person.deprovisioned_at is None:
        person.deprovisioned_at = timezone.now()
        changed.append("deprovisioned_at")
    if changed:
        with acting_as(user=by, reason=reason):
            person.save(update_fields=[*changed, "updated_at"])
    _login_follows(person)


@transaction.atomic
def person_reactivate(*, person: Person, by=None, reason: str = "") -> None:
    """Active again, and so is the linked login (its password unchanged)."""
    _check_activation(by, person)
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if not person.active:
        person.active = True
        with acting_as(user=by, reason=reason):
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
    model = type(obj)
    stored = model.objects.filter(external_id__iexact=external_id).exclude(pk=obj.pk).first()
    if stored is not None:
        raise StateConflict(
            f"A {model._meta.verbose_name} with external_id {stored.external_id!r} exists "
            "(external ids are unique ignoring case).",
            code="conflict",
            fields={"external_id": [f"Already in use by {stored.external_id!r}."]},
        )
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


# --- access: invitations to log in and roles, from the people pages ---------------------------


def _refuse(message: str | None) -> None:
    if message:
        raise NotAllowed(message)


def _new_login(person: Person):
    """A login for the person, named after their external id, with no usable password: the
    invitation's one-time link sets the first one."""
    from django.contrib.auth import get_user_model

    model = get_user_model()
    username = person.external_id[:150]
    if model.objects.filter(username__iexact=username).exists():
        username = f"{username[:140]}-{person.pk}"
    user = model(username=username, email=person.email)
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def person_invite(*, person: Person, by) -> Invitation:
    """Invite an active person with an e-mail address to log in: their login is made (or
    kept) and linked through `person_link_user`, and a task e-mails them a one-time link to
    set their password once this commits."""
    from core.outbox import enqueue

    refuse_inactive(by)
    _refuse(invite_refusal(by, person))
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if not person.active:
        raise StateConflict(
            f"{person.full_name} is inactive: reactivate them before inviting them.",
            code="person_inactive",
        )
    if not person.email:
        raise DomainError(
            f"{person.full_name} has no e-mail address, so no invitation can reach them. "
            "Add one in the HR system first.",
            code="no_email",
            fields={"email": ["Required to send an invitation."]},
        )
    if person.user is None:
        person = person_link_user(
            person=person, user=_new_login(person), by=by, reason="invited to log in"
        )
    invitation = Invitation.objects.create(person=person, user=person.user, invited_by=by)
    enqueue("people.tasks.email_invitation", invitation_id=invitation.pk)
    return invitation


def invitation_link(user) -> str:
    """The one-time set-password link, on SITE_URL (never the request's Host)."""
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.REDEFINE_SITE_URL.rstrip("/") + path


@transaction.atomic
def invitation_email(*, invitation_id: int) -> bool:
    """Send the invitation once: claim it (`sent_at`), then send; a failed send rolls the
    claim back for the retry. Nothing goes to someone deactivated or relinked since."""
    from core.emails import email_send

    claimed = Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("person", "user").get(pk=invitation_id)
    person, user = invitation.person, invitation.user
    if not (person.active and user.is_active and person.user_id == user.pk):
        return False
    body = (
        f"Hello {person.full_name},\n\n"
        "you are invited to log in to Redefine, where your organisation runs its pilots of "
        "redefining work. Choose your password here:\n\n"
        f"{invitation_link(user)}\n\n"
        f"Then log in with the username {user.get_username()}. The link works once."
    )
    return email_send(subject="Your Redefine login", body=body, to=[person.email])


def _role_group(role: str):
    from django.contrib.auth.models import Group

    if role not in GRANTABLE_ROLES:
        raise DomainError(f"Unknown role {role!r}.", code="invalid", fields={"role": ["Unknown."]})
    return Group.objects.get(name=role)


def _role_login(person: Person, role: str, by, *, grant: bool):
    refuse_inactive(by)
    group = _role_group(role)
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    _refuse(role_change_refusal(by, person, role, grant=grant))
    if person.user is None:
        raise StateConflict(
            f"{person.full_name} has no login yet: invite them to log in first.", code="no_login"
        )
    if grant and not person.active:
        raise StateConflict(
            f"{person.full_name} is inactive: reactivate them before granting a role.",
            code="person_inactive",
        )
    return person.user, group


def _by_hand(user, role: str):
    from hrapi.models import RoleGrant

    return RoleGrant.objects.filter(user=user, role=role, group__isnull=True)


@transaction.atomic
def person_role_grant(*, person: Person, role: str, by, reason: str = "") -> None:
    """Grant a role by hand. Recorded as SCIM's grants are, a RoleGrant (here without an
    access group) with its history row, so the person's history shows who granted it."""
    from hrapi.models import RoleGrant

    user, group = _role_login(person, role, by, grant=True)
    with acting_as(user=by, reason=reason):
        if not _by_hand(user, role).exists():
            bulk_create_recorded(RoleGrant, [RoleGrant(user=user, role=role)], batch_size=1)
        user.groups.add(group)


@transaction.atomic
def person_role_withdraw(*, person: Person, role: str, by, reason: str = "") -> None:
    """Withdraw a role given by hand. A role an access group grants stays with the identity
    provider's group push: withdrawing it here would come back at its next push."""
    from hrapi.models import RoleGrant

    user, group = _role_login(person, role, by, grant=False)
    if not user.groups.filter(pk=group.pk).exists():
        return
    granting = sorted(
        RoleGrant.objects.filter(user=user, role=role, group__isnull=False).values_list(
            "group__display_name", flat=True
        )
    )
    if granting:
        raise StateConflict(
            f"{person.full_name} holds this role through the access group "
            f"{', '.join(granting)} of your identity provider: remove them from it there.",
            code="role_from_access_group",
        )
    with acting_as(user=by, reason=reason):
        if not _by_hand(user, role).exists():
            # Held since before grants were recorded: record it, so its withdrawal has a row.
            with acting_as(reason="held before role grants were recorded"):
                bulk_create_recorded(RoleGrant, [RoleGrant(user=user, role=role)], batch_size=1)
        _by_hand(user, role).delete()  # one history row each
        user.groups.remove(group)

"""Readable audit entries built from history records: who (a user, an API client or the
system), when, what changed from what to what, and why. One entry per real change: a save
that changed nothing but bookkeeping columns is no entry.

Values of foreign keys and choices are shown as people read them (a person's name, a
status's label); every name is fetched with one query per kind of object, whatever the
number of records, so a history page costs the same at any length. Each entry also reads as
a sentence for the page ("Bob changed Review date from 1 Jun 2027 to 1 Jul 2027"): the API
keeps the plain values (ISO dates, the login's username) that machines compare.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

# Columns that change with every write and say nothing about it.
BOOKKEEPING = {"id", "created_at", "updated_at"}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str | None
    new: str | None
    # As a person reads them, where that differs from the plain value (dates, times).
    old_text: str | None = None
    new_text: str | None = None

    @property
    def shown_old(self) -> str | None:
        return self.old if self.old_text is None else self.old_text

    @property
    def shown_new(self) -> str | None:
        return self.new if self.new_text is None else self.new_text

    @property
    def sentence(self) -> str:
        """ "Review date from 1 Jun 2027 to 1 Jul 2027"; a value set or cleared says so."""
        if self.shown_old is None:
            return f"{self.label} set to {self.shown_new}"
        if self.shown_new is None:
            return f"{self.label} cleared (was {self.shown_old})"
        return f"{self.label} from {self.shown_old} to {self.shown_new}"


@dataclass
class Entry:
    at: dt.datetime
    actor_type: str  # "user" | "api_client" | "system"
    actor: str
    subject_type: str
    subject_id: int
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    # Who, as a person reads it: the login's person ("Bob"), "payroll (API client)".
    actor_label: str = ""
    # What happened, in one sentence; `headline` falls back to a generic one.
    summary: str = ""

    @property
    def who(self) -> str:
        return self.actor_label or self.actor

    @property
    def headline(self) -> str:
        return self.summary or generic_summary(self)


def generic_summary(entry: Entry) -> str:
    """ "Bob created Triage", "Bob changed Triage: Name from A to B", "Bob removed Triage"."""
    if entry.action == "changed" and entry.changes:
        told = "; ".join(c.sentence for c in entry.changes)
        return f"{entry.who} changed {entry.subject}: {told}"
    verb = {"deleted": "removed"}.get(entry.action, entry.action)
    return f"{entry.who} {verb} {entry.subject}"


def label_fields() -> dict[type, str]:
    """The column that names an object of each kind, for the values shown in an entry."""
    from coaching.models import Cycle
    from hrapi.models import ApiClient
    from metrics.models import MetricDefinition
    from people.models import OrgUnit, Person
    from pilots.models import Pilot, Workgroup

    return {
        get_user_model(): "username",
        ApiClient: "name",
        Person: "full_name",
        OrgUnit: "name",
        Pilot: "name",
        Workgroup: "name",
        MetricDefinition: "key",
        Cycle: "number",
    }


class Names:
    """Names of the objects records point at: asked for first, fetched once per kind."""

    def __init__(self):
        self.wanted: dict[type, set[int]] = {}
        self.found: dict[type, dict[int, str]] = {}
        self.user_people: dict[int, str] = {}  # a login's person's name, read with the login

    def want(self, model, pk) -> None:
        if pk is not None:
            self.wanted.setdefault(model, set()).add(pk)

    def fetch(self) -> None:
        columns = label_fields()
        for model, pks in self.wanted.items():
            column = columns.get(model)
            if column is None:
                continue
            rows = model._default_manager.filter(pk__in=pks)
            if model is get_user_model():
                named = rows.values_list("pk", column, "person__full_name")
                self.found[model] = {pk: str(name) for pk, name, _ in named}
                self.user_people = {pk: person for pk, _, person in named if person}
                continue
            self.found[model] = {pk: str(name) for pk, name in rows.values_list("pk", column)}

    def of(self, model, pk) -> str | None:
        if pk is None:
            return None
        return self.found.get(model, {}).get(pk, f"#{pk}")

    def person_of_user(self, pk) -> str | None:
        """The name of the person a login belongs to, else the login's username."""
        if pk is None:
            return None
        return self.user_people.get(pk) or self.of(get_user_model(), pk)


def _tracked(model) -> list[models.Field]:
    """The model's fields its history keeps (a secret left out of the history is not)."""
    kept = {f.attname for f in model.history.model._meta.concrete_fields}
    return [
        f for f in model._meta.concrete_fields if f.name not in BOOKKEEPING and f.attname in kept
    ]


def _want_names(records, model, names: Names) -> None:
    relations = [f for f in _tracked(model) if f.is_relation]
    for record in records:
        names.want(get_user_model(), record.history_user_id)
        names.want(_api_client_model(), record.history_api_client_id)
        for f in relations:
            names.want(f.related_model, getattr(record, f.attname))


def _api_client_model():
    from hrapi.models import ApiClient

    return ApiClient


def _shown(f: models.Field, value, names: Names) -> str | None:
    if value is None or value == "":
        return None
    if f.is_relation:
        return names.of(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, list | dict):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return str(value)


def readable(value) -> str | None:
    """Dates and times as people read them, in the site's time zone; None for the rest."""
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %b %Y, %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    return None


def _changes(model, before, after, names: Names) -> list[Change]:
    changes = []
    for f in _tracked(model):
        old = getattr(before, f.attname) if before is not None else None
        new = getattr(after, f.attname)
        if before is not None and old == new:
            continue
        shown_old, shown_new = _shown(f, old, names), _shown(f, new, names)
        if shown_old != shown_new:
            label = str(f.verbose_name)
            label = label[:1].upper() + label[1:]
            texts = (_text(f, old, names), _text(f, new, names))
            changes.append(Change(f.name, label, shown_old, shown_new, *texts))
    return changes


def _text(f: models.Field, value, names: Names) -> str | None:
    if f.is_relation and f.related_model is get_user_model():
        return names.person_of_user(value)
    return readable(value)


def actor_of(record, names: Names) -> tuple[str, str, str]:
    """The actor's type, plain name (the API's) and name as a person reads it."""
    if record.history_api_client_id is not None:
        name = names.of(_api_client_model(), record.history_api_client_id)
        return "api_client", name, f"{name} (API client)"
    if record.history_user_id is not None:
        user_id = record.history_user_id
        return "user", names.of(get_user_model(), user_id), names.person_of_user(user_id)
    return "system", "the system", "The system"


def entries(model, records, names: Names, subject, summary=None) -> list[Entry]:
    """Entries of one model's history records, given every record of each object concerned
    (so each change is told against the one before). `subject(record, names)` names the
    object an entry is about; `summary(entry, record, names)`, if given, tells it in one
    sentence (else `generic_summary`). Call `names.fetch()` between `prepare` and this."""
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(getattr(record, model._meta.pk.attname), []).append(record)
    found = []
    for pk, history in by_object.items():
        history.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in history:
            action = ACTIONS[record.history_type]
            changes = [] if action == "deleted" else _changes(model, previous, record, names)
            if action != "changed" or changes:
                actor_type, actor, actor_label = actor_of(record, names)
                entry = Entry(
                    at=record.history_date,
                    actor_type=actor_type,
                    actor=actor,
                    subject_type=model._meta.model_name,
                    subject_id=pk,
                    subject=subject(record, names),
                    action=action,
                    changes=changes,
                    reason=record.history_change_reason or "",
                    actor_label=actor_label,
                )
                if summary is not None:
                    entry.summary = summary(entry, record, names) or ""
                found.append(entry)
            previous = record
    return found


def prepare(model, records, names: Names) -> list:
    """Materialise the records and ask for the names they need."""
    records = list(records)
    _want_names(records, model, names)
    return records


def newest_first(found: list[Entry]) -> list[Entry]:
    return sorted(found, key=lambda e: (e.at, e.subject_type, e.subject_id), reverse=True)

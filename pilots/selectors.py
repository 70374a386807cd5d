"""Reads of the pilots app shared by pages and the API: a pilot's whole history, each entry
told as the sentence a person reads ("Carol signed the charter of Triage")."""

from django.contrib.auth import get_user_model

from core.audit import Change, Entry, Names, entries, newest_first, prepare
from people.models import Person
from pilots.models import (
    Charter,
    CompetingInitiative,
    Pilot,
    ScaleDecision,
    Tie,
    Workgroup,
    WorkgroupMember,
)


def _in(names: Names, model, pk) -> str:
    return names.of(model, pk) or "?"


def _group(record, names: Names) -> str:
    return _in(names, Workgroup, record.workgroup_id)


# What each entry is about, as a reader names it.
SUBJECTS = {
    Pilot: lambda r, n: r.name,
    Workgroup: lambda r, n: r.name,
    WorkgroupMember: lambda r, n: f"{_in(n, Person, r.person_id)} in {_group(r, n)}",
    Tie: lambda r, n: f"Tie of {_group(r, n)} to {r.counterpart}",
    CompetingInitiative: lambda r, n: f"{r.name} (competing with {_group(r, n)})",
    Charter: lambda r, n: f"Charter of {_group(r, n)}",
    ScaleDecision: lambda r, n: "Scale decision",
}


def _change(entry: Entry, name: str) -> Change | None:
    return next((c for c in entry.changes if c.field == name), None)


def _told(entry: Entry, *, leaving=()) -> str:
    return "; ".join(c.sentence for c in entry.changes if c.field not in leaving)


def _pilot_summary(entry: Entry, record, names: Names) -> str:
    if entry.action == "created":
        return f"{entry.who} created the pilot {record.name}"
    status = _change(entry, "status")
    if status is None:
        return f"{entry.who} changed {_told(entry)}"
    return f"{entry.who} moved the pilot from {status.shown_old} to {status.shown_new}"


def _workgroup_summary(entry: Entry, record, names: Names) -> str:
    if entry.action == "created":
        supervisor = _in(names, Person, record.supervisor_id)
        return f"{entry.who} added the workgroup {record.name}, supervised by {supervisor}"
    if entry.action == "deleted":
        return f"{entry.who} removed the workgroup {record.name}"
    return f"{entry.who} changed the workgroup {record.name}: {_told(entry)}"


def _member_summary(entry: Entry, record, names: Names) -> str:
    person, group = _in(names, Person, record.person_id), _group(record, names)
    if entry.action == "deleted":
        return f"{entry.who} removed {person} from {group}"
    return f"{entry.who} added {person} to {group}"


def _tie_summary(entry: Entry, record, names: Names) -> str:
    group = _group(record, names)
    if entry.action == "created":
        how = f"{record.get_frequency_display()}, {record.get_strength_display()}".lower()
        return f"{entry.who} added a tie of {group} to {record.counterpart} ({how})"
    if entry.action == "deleted":
        return f"{entry.who} removed the tie of {group} to {record.counterpart}"
    return f"{entry.who} changed the tie of {group} to {record.counterpart}: {_told(entry)}"


def _initiative_summary(entry: Entry, record, names: Names) -> str:
    group = _group(record, names)
    if entry.action == "created":
        return (
            f"{entry.who} added the competing initiative {record.name} to {group} "
            f"({record.time_share_percent} % of its time)"
        )
    if entry.action == "deleted":
        return f"{entry.who} removed the competing initiative {record.name} from {group}"
    return f"{entry.who} changed the competing initiative {record.name}: {_told(entry)}"


def _charter_summary(entry: Entry, record, names: Names) -> str:
    """Signing, the sponsor's assurance and a reset (a new supervisor) are what a reader
    looks for; the ticked expectations come with the signature."""
    group, told = _group(record, names), []
    signed, assured = _change(entry, "signed_at"), _change(entry, "assurance_confirmed_at")
    if signed and signed.new is not None:
        told.append(f"{entry.who} signed the charter of {group}")
    elif signed:
        told.append(f"{entry.who} reset the charter of {group}: it waits for a new signature")
    if assured and assured.new is not None:
        told.append(f"{entry.who} confirmed the assurance for the supervisor of {group}")
    elif assured:
        told.append(f"{entry.who} withdrew the assurance for the supervisor of {group}")
    if _change(entry, "requested_at") and not told:
        told.append(f"{entry.who} asked the supervisor of {group} to sign the charter")
    return "; ".join(told) or f"{entry.who} changed the charter of {group}: {_told(entry)}"


def _decision_summary(entry: Entry, record, names: Names) -> str:
    return f"{entry.who} decided: {record.get_decision_display()}"


SUMMARIES = {
    Pilot: _pilot_summary,
    Workgroup: _workgroup_summary,
    WorkgroupMember: _member_summary,
    Tie: _tie_summary,
    CompetingInitiative: _initiative_summary,
    Charter: _charter_summary,
    ScaleDecision: _decision_summary,
}


def _is_blank_charter(entry: Entry) -> bool:
    """The empty charter row made with its workgroup: nothing signed, nothing to read (the
    workgroup's own entry says it was added)."""
    return (
        entry.subject_type == "charter"
        and entry.action == "created"
        and not (_change(entry, "signed_at") or _change(entry, "assurance_confirmed_at"))
    )


def _records(pilot: Pilot) -> dict:
    """Every history record of the pilot and of what hangs off it, removed rows included."""
    groups = Workgroup.history.filter(pilot_id=pilot.pk).values("id")
    return {
        Pilot: pilot.history.all(),
        Workgroup: Workgroup.history.filter(pilot_id=pilot.pk),
        WorkgroupMember: WorkgroupMember.history.filter(workgroup_id__in=groups),
        Tie: Tie.history.filter(workgroup_id__in=groups),
        CompetingInitiative: CompetingInitiative.history.filter(workgroup_id__in=groups),
        Charter: Charter.history.filter(workgroup_id__in=groups),
        ScaleDecision: ScaleDecision.history.filter(pilot_id=pilot.pk),
    }


def pilot_history(pilot: Pilot, *, baselines) -> list[Entry]:
    """Changes of the pilot, its workgroups, members, ties, competing initiatives, charters
    and decisions, and the baselines in `baselines` (the caller decides whose figures the
    reader may see), newest first. A constant number of queries at any length."""
    names = Names()
    records = {model: prepare(model, rows, names) for model, rows in _records(pilot).items()}
    frozen = list(baselines.order_by("frozen_at", "id"))
    for baseline in frozen:
        names.want(Person, baseline.person_id)
        names.want(get_user_model(), baseline.frozen_by_id)
    names.fetch()
    found = [
        entry
        for model, rows in records.items()
        for entry in entries(model, rows, names, SUBJECTS[model], SUMMARIES[model])
        if not _is_blank_charter(entry)
    ]
    return newest_first(found + _baseline_entries(frozen, names))


def _baseline_entries(frozen: list, names: Names) -> list[Entry]:
    previous: dict[tuple, object] = {}
    found = []
    for b in frozen:
        key = (b.person_id, b.metric_id)
        before = previous.get(key)
        previous[key] = b
        entry = Entry(
            at=b.frozen_at,
            actor_type="user" if b.frozen_by_id else "system",
            actor=names.of(get_user_model(), b.frozen_by_id) or "the system",
            subject_type="baseline",
            subject_id=b.pk,
            subject=f"Baseline of {_in(names, Person, b.person_id)}: {b.metric.key}",
            action="re-baselined" if before else "frozen",
            changes=_baseline_changes(before, b),
            reason=b.reason,
            actor_label=names.person_of_user(b.frozen_by_id) or "The system",
        )
        entry.summary = _baseline_summary(entry, b, names)
        found.append(entry)
    return found


def _baseline_summary(entry: Entry, b, names: Names) -> str:
    whose = f"{_in(names, Person, b.person_id)}'s baseline of {b.metric.name}"
    if entry.action == "re-baselined":
        value = _change(entry, "value")
        told = f": {value.sentence}" if value else ""
        return f"{entry.who} re-baselined {whose} (version {b.version}){told}"
    if b.value is None:
        return f"{entry.who} froze {whose} with no data in the window"
    return f"{entry.who} froze {whose} at {b.value} from {b.observation_count} observations"


def _baseline_changes(before, after) -> list[Change]:
    def shown(b, name):
        value = getattr(b, name) if b is not None else None
        return None if value is None else str(value)

    columns = [
        ("value", "Value"),
        ("observation_count", "Observations used"),
        ("version", "Version"),
        ("metric_direction", "Direction"),
        ("metric_aggregation", "Aggregation"),
    ]
    return [
        Change(name, label, shown(before, name), shown(after, name))
        for name, label in columns
        if shown(before, name) != shown(after, name)
    ]

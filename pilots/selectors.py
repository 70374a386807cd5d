"""Reads of the pilots app shared by pages and the API: a pilot's whole history."""

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
        for entry in entries(model, rows, names, SUBJECTS[model])
    ]
    return newest_first(found + _baseline_entries(frozen, names))


def _baseline_entries(frozen: list, names: Names) -> list[Entry]:
    previous: dict[tuple, object] = {}
    found = []
    for b in frozen:
        key = (b.person_id, b.metric_id)
        before = previous.get(key)
        previous[key] = b
        found.append(
            Entry(
                at=b.frozen_at,
                actor_type="user" if b.frozen_by_id else "system",
                actor=names.of(get_user_model(), b.frozen_by_id) or "the system",
                subject_type="baseline",
                subject_id=b.pk,
                subject=f"Baseline of {_in(names, Person, b.person_id)}: {b.metric.key}",
                action="re-baselined" if before else "frozen",
                changes=_baseline_changes(before, b),
                reason=b.reason,
            )
        )
    return found


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

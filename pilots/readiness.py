"""The rules a pilot must meet to be approved and started, in one place: Start and Approve
refuse on them, and the pilot page shows them as a checklist from the moment of each edit
(adding a member, choosing a supervisor), naming the person and the pilot in the way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from pilots.models import Pilot, RunningAssignment, Workgroup

# Below this self-containment score approval needs an explicit, recorded acknowledgement.
CONTAINMENT_ACK_BELOW = 50


@dataclass
class Check:
    key: str
    label: str
    problems: list[str] = field(default_factory=list)
    # A gap the sponsor may override with a written reason at the start (baseline data).
    overridable: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def seat_conflicts(person_ids, *, pilot: Pilot) -> list[str]:
    """One sentence per person who already sits in another running pilot, naming both."""
    taken = (
        RunningAssignment.objects.filter(person_id__in=list(person_ids))
        .exclude(workgroup__pilot=pilot)
        .select_related("person", "workgroup__pilot")
        .order_by("person__full_name")
    )
    return [
        f"{seat.person.full_name} is already in the running pilot “{seat.workgroup.pilot.name}” "
        f"(workgroup {seat.workgroup.name}); a person is in at most one running pilot at a time."
        for seat in taken
    ]


def _people(groups: list[Workgroup]) -> set[int]:
    found = set()
    for group in groups:
        found.add(group.supervisor_id)
        found.update(m.person_id for m in group.memberships.all())
    return found


def _charters(groups: list[Workgroup]) -> tuple[Check, Check]:
    signed = Check("charters", "Every supervisor has signed their charter")
    assured = Check("assurance", "You confirmed the assurance for every supervisor")
    for group in groups:
        charter = getattr(group, "charter", None)
        if charter is None or charter.signed_at is None:
            signed.problems.append(f"{group.supervisor.full_name} has not signed ({group.name}).")
        if charter is None or charter.assurance_confirmed_at is None:
            assured.problems.append(f"Assurance for {group.supervisor.full_name} ({group.name}).")
    return signed, assured


def baseline_gaps(pilot: Pilot, groups: list[Workgroup], *, on: dt.date) -> list[str]:
    """Supervisors with no performance data in the baseline window a start on `on` uses."""
    from metrics.baselines import baseline_window, window_aggregates
    from metrics.models import MetricDefinition

    metrics = list(MetricDefinition.objects.performance())
    supervisors = {g.supervisor_id: g.supervisor for g in groups}
    if not metrics or not supervisors:
        return []
    start, end = baseline_window(pilot, on)
    found = window_aggregates(
        person_ids=list(supervisors),
        aggregations={m.pk: m.aggregation for m in metrics},
        window_start=start,
        window_end=end,
    )
    gaps = []
    for person_id, person in sorted(supervisors.items(), key=lambda item: item[1].full_name):
        missing = [m.name for m in metrics if (person_id, m.pk) not in found]
        if missing:
            gaps.append(
                f"{person.full_name}: no {', '.join(missing)} data between "
                f"{start:%-d %b %Y} and {end:%-d %b %Y}."
            )
    return gaps


def workgroups_check(groups: list[Workgroup]) -> Check:
    check = Check("workgroups", "At least one workgroup with a supervisor")
    if not any(g.supervisor_id for g in groups):
        check.problems.append("Add a workgroup and choose its supervisor.")
    return check


def start_checklist(pilot: Pilot, groups: list[Workgroup] | None = None) -> list[Check]:
    """What Start checks, as a list the page shows; `groups` prefetched with their charter,
    supervisor and memberships (the pilot page has them already)."""
    if groups is None:
        groups = list(
            pilot.workgroups.select_related("charter", "supervisor").prefetch_related("memberships")
        )
    signed, assured = _charters(groups)
    seats = Check("seats", "Nobody is in another running pilot")
    seats.problems = seat_conflicts(_people(groups), pilot=pilot)
    on = max(pilot.planned_start, timezone.localdate())
    baselines = Check("baselines", "Supervisors have baseline performance data", overridable=True)
    baselines.problems = baseline_gaps(pilot, groups, on=on)
    return [workgroups_check(groups), signed, assured, seats, baselines]


def containment_score(groups: list[Workgroup]) -> int:
    """The pilot's self-containment: its weakest workgroup's score (100 with no workgroup)."""
    from pilots.selfcontainment import assess_pilot, assess_workgroup

    weakest = assess_pilot([assess_workgroup(group) for group in groups])
    return 100 if weakest is None else weakest.score


def blocking(checks: list[Check]) -> list[Check]:
    return [check for check in checks if not check.ok and not check.overridable]

"""Reads of coaching that span models: workgroups with their cadence, a supervisor's groups,
the groups a sponsor oversees, and a workgroup's timeline. Each is a fixed number of queries
whatever the length of the history."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from coaching.cadence import due_at, overdue_cutoff
from coaching.models import (
    ActionKind,
    Cycle,
    Opportunity,
    Reminder,
    workgroups_in_coaching_view,
)
from metrics.models import MetricKind, Observation, SubjectType
from pilots.models import PilotStatus, Workgroup


def linkable_observations(workgroup: Workgroup) -> QuerySet[Observation]:
    """Observations about the workgroup's people, the workgroup or its pilot: the ones a
    cycle's data stage may link to. Never performance metrics: those are the protected
    figures of supervisor reviews, and sponsors read the cycle."""
    people = workgroup.memberships.values("person_id")
    return Observation.objects.exclude(metric__kind=MetricKind.PERFORMANCE).filter(
        Q(subject_type=SubjectType.PERSON, subject_id=workgroup.supervisor_id)
        | Q(subject_type=SubjectType.PERSON, subject_id__in=people)
        | Q(subject_type=SubjectType.WORKGROUP, subject_id=workgroup.pk)
        | Q(subject_type=SubjectType.PILOT, subject_id=workgroup.pilot_id)
    )


def with_cadence(queryset: QuerySet[Workgroup], *, today: date | None = None) -> QuerySet:
    """Annotate `last_cycle_at`, `next_due_at` and `is_overdue` (running pilots only)."""
    today = today or timezone.localdate()
    last_start = (
        Cycle.objects.filter(workgroup=OuterRef("pk"))
        .order_by("-started_at")
        .values("started_at")[:1]
    )
    return (
        queryset.annotate(last_cycle_at=Subquery(last_start))
        .annotate(cadence_from=Coalesce(F("last_cycle_at"), F("pilot__started_at")))
        .annotate(next_due_at=due_at("cadence_from"))
        .annotate(
            is_overdue=Case(
                When(
                    pilot__status=PilotStatus.RUNNING,
                    next_due_at__lt=overdue_cutoff(today),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def overdue_workgroups(*, today: date | None = None) -> QuerySet[Workgroup]:
    return with_cadence(
        Workgroup.objects.filter(pilot__status=PilotStatus.RUNNING), today=today
    ).filter(is_overdue=True)


def _open_cycles() -> Prefetch:
    return Prefetch(
        "cycles",
        queryset=Cycle.objects.open().annotate(action_count=Count("actions")),
        to_attr="open_cycles",
    )


def coached_groups(user, *, today: date | None = None) -> QuerySet[Workgroup]:
    """The supervisor's own groups with their charter and open cycle (two queries)."""
    return with_cadence(
        Workgroup.objects.coached_by(user).select_related("pilot", "charter"), today=today
    ).prefetch_related(_open_cycles())


def overseen_groups(user, *, today: date | None = None) -> QuerySet[Workgroup]:
    """Groups a sponsor or portfolio leader reads but does not coach, overdue first."""
    return (
        with_cadence(
            workgroups_in_coaching_view(user)
            .exclude(supervisor__user=user)
            .exclude(pilot__status__in=[PilotStatus.DRAFT, PilotStatus.APPROVED])
            .select_related("pilot", "supervisor"),
            today=today,
        )
        .prefetch_related(_open_cycles())
        # Ids last, so pages of the list never overlap or skip a group.
        .order_by("-is_overdue", "pilot__name", "name", "pilot_id", "pk")
    )


def recent_reminders(user, limit: int = 5) -> list[Reminder]:
    return list(Reminder.objects.for_user(user).select_related("workgroup")[:limit])


@dataclass
class Timeline:
    workgroup: Workgroup
    cycles: list[Cycle]
    opportunities: list[Opportunity]


def workgroup_timeline(workgroup: Workgroup) -> Timeline:
    """Cycles oldest first with their action mix and the opportunities each found (two
    queries); opportunities are grouped in memory rather than one query per cycle."""
    cycles = list(
        workgroup.cycles.order_by("number").annotate(
            task_actions=Count("actions", filter=Q(actions__kind=ActionKind.TASK)),
            relationship_actions=Count("actions", filter=Q(actions__kind=ActionKind.RELATIONSHIP)),
        )
    )
    opportunities = list(
        workgroup.opportunities.select_related("found_in", "addressed_in").order_by(
            "found_at", "id"
        )
    )
    found_by_cycle: dict[int, list[Opportunity]] = {}
    for opportunity in opportunities:
        found_by_cycle.setdefault(opportunity.found_in_id, []).append(opportunity)
    for cycle in cycles:
        cycle.found = found_by_cycle.get(cycle.pk, [])
    return Timeline(workgroup=workgroup, cycles=cycles, opportunities=opportunities)

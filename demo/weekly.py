"""Demo step (last): weekly strategy/detail splits for the supervisors of started pilots,
from eight weeks before each start to last week. Work-redefinition supervisors move from
mostly detail to mostly strategy after the start; job-redesign supervisors stay on detail.
This week is left open, so the demo "supervisor" can record it with one tap.
Idempotent: the unique (person, week) constraint makes a second run add nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from demo.steps import DemoContext
from pilots.models import Approach, Pilot, Workgroup
from weekly.models import WeeklySplit
from weekly.services import week_of

BEFORE = 8
NOTES = [
    "Most of the week on the queue.",
    "Two coaching sessions and a root-cause hunt.",
    "Quarter-end reporting took over.",
    "Followed up the opportunities from the last cycle.",
]


def _share(rng, approach: str, weeks_in: int) -> int:
    """Before the start everyone is around 20 %; redefinition then climbs towards 60 %."""
    if approach == Approach.WORK_REDEFINITION and weeks_in >= 0:
        level = min(60, 20 + 4 * weeks_in)
    else:
        level = 20 if weeks_in < 0 or approach != Approach.JOB_REDESIGN else 25
    return max(0, min(100, 5 * round((level + rng.gauss(0, 8)) / 5)))


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng_for("weekly")
    last_week = week_of(timezone.localdate()) - timedelta(weeks=1)
    rows, seen = [], set()
    pilots = Pilot.objects.filter(started_at__isnull=False).order_by("id")
    groups = Workgroup.objects.filter(pilot__in=pilots).select_related("pilot").order_by("id")
    for group in groups:
        pilot = group.pilot
        start = week_of(timezone.localdate(pilot.started_at))
        end = (
            min(week_of(timezone.localdate(pilot.ended_at)), last_week)
            if pilot.ended_at
            else last_week
        )
        week = start - timedelta(weeks=BEFORE)
        while week <= end:
            key = (group.supervisor_id, week)
            if key not in seen:
                seen.add(key)
                weeks_in = (week - start).days // 7
                note = rng.choice(NOTES) if rng.random() < 0.2 else ""
                rows.append(
                    WeeklySplit(
                        person_id=group.supervisor_id,
                        week=week,
                        strategic_percent=_share(rng, pilot.approach, weeks_in),
                        note=note,
                    )
                )
            week += timedelta(weeks=1)
    WeeklySplit.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    ctx.notes.append(f"Weekly splits: {len(rows)} supervisor-weeks (this week left to record).")

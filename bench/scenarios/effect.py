"""Scenario: a pilot's effect against its comparison group at the size the issue names — a
pilot of 100 workgroups with 100 comparison workgroups, 52 weeks of one weekly metric (26
before the start, 26 after) — computed with its 10,000-draw randomisation test, against the
pilot page's own time without the evidence section. Built and measured inside a transaction
that is rolled back, so the bench database is left as it was."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bench.scenarios.timing import timed

GROUPS, WEEKS = 100, 52


class _Rollback(Exception):
    pass


def _lift(group, pilot, week: int) -> int:
    """A known effect of 3 on the pilot's groups after the start."""
    return 3 if group.pilot_id == pilot.pk and week >= WEEKS // 2 else 0


def _panel(sponsor):
    import random

    from evidence.services import comparison_freeze_for_start
    from metrics.models import MetricDefinition, Observation, SubjectType
    from pilots.models import Pilot, Workgroup

    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday(), weeks=WEEKS // 2)
    metric = MetricDefinition.objects.create(
        key=f"bench_effect_{timezone.now():%H%M%S%f}", name="Bench effect", unit="hours",
        kind="efficiency", direction="higher_is_better", aggregation="sum",
    )  # fmt: skip
    pilots = [
        Pilot.objects.create(
            name=name,
            approach="work_redefinition",
            vision="v",
            pain_point="p",
            demonstration_project="d",
            sponsor=sponsor,
            planned_start=start,
            review_date=start + dt.timedelta(weeks=30),
            status=status,
            baseline_window_weeks=WEEKS // 2,
        )  # fmt: skip
        for name, status in (("Bench effect pilot", "approved"), ("Bench effect pool", "draft"))
    ]
    from people.models import Person

    # Supervisors of their own: a group sharing a person with the pilot is no comparison.
    # (a small bench organisation has fewer people: then fewer groups a side, reported).
    people = list(Person.objects.exclude(pk=sponsor.pk).order_by("pk")[: 2 * GROUPS])
    size = len(people) // 2
    groups = [
        Workgroup(pilot=pilot, name=f"g{n}", supervisor=people[side * size + n])
        for side, pilot in enumerate(pilots)
        for n in range(size)
    ]
    Workgroup.objects.bulk_create(groups)
    rng = random.Random(1)  # noqa: S311 - bench data
    first = start - dt.timedelta(weeks=WEEKS // 2)
    rows = [
        Observation(
            metric=metric,
            subject_type=SubjectType.WORKGROUP,
            subject_id=group.pk,
            period_start=first + dt.timedelta(weeks=w),
            period_end=first + dt.timedelta(weeks=w, days=6),
            value=Decimal(f"{rng.gauss(40, 5) + _lift(group, pilots[0], w):.2f}"),
            source="bench-effect",
        )  # fmt: skip
        for group in groups
        for w in range(WEEKS)
    ]
    Observation.objects.bulk_create(rows, batch_size=5000)
    at = timezone.make_aware(dt.datetime.combine(start, dt.time(9)))
    pilot = pilots[0]
    Pilot.objects.filter(pk=pilot.pk).update(status="running", started_at=at)
    pilot.refresh_from_db()
    comparison_freeze_for_start(pilot=pilot, frozen_at=at, by=None)
    return pilot


def measure(ctx) -> dict:
    from evidence.effects import pilot_effect
    from people.models import Person
    from pilots import views

    result = {}
    try:
        with transaction.atomic():
            pilot = _panel(Person.objects.get(pk=1))
            effect = pilot_effect(pilot)
            found = effect.metrics[0]
            result["effect"] = timed(lambda: pilot_effect(pilot), runs=ctx.runs, warmup=ctx.warmup)
            url = f"/pilots/{pilot.pk}/"
            result["page_with_evidence"] = timed(lambda: ctx.web.get(url), runs=ctx.runs, warmup=1)
            saved = list(views.EXTRA_SECTIONS)
            views.EXTRA_SECTIONS[:] = [s for s in saved if not s.startswith("evidence/")]
            try:
                result["page"] = timed(lambda: ctx.web.get(url), runs=ctx.runs, warmup=1)
            finally:
                views.EXTRA_SECTIONS[:] = saved
            result.update(
                groups=[found.treated_groups, found.comparison_groups],
                weeks=[found.pre_weeks, found.post_weeks],
                p_value_method=found.result.p_value_method,
                relabellings=found.result.relabellings,
                estimate=round(found.result.estimate, 3),
            )
            raise _Rollback
    except _Rollback:
        pass
    return result

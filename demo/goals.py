"""Demo step (after portfolio): a cascade of goals from the organisation to two pilots,
unit heads who manage them, a "contributes to" link across departments, and the pilots
naming the goals they serve. Targets are set against the demo's own observations, so the
tree shows measured progress at every level and one department's goal rolled up.
Idempotent: if the organisation's demo goal exists, nothing is added."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_UP, Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from demo.steps import DemoContext
from goals import services
from goals.models import Goal, GoalLevel, UnitHead
from goals.progress import progress_book
from metrics.models import MetricDefinition
from people.models import OrgUnit, Person
from pilots.models import Pilot

ORG_GOAL = "Customers get a useful answer the same day"
L = GoalLevel


@dataclass(frozen=True)
class Spec:
    key: str
    title: str
    level: str
    unit: str  # org unit external_id
    metric: str
    start: str
    target: str  # "auto": 1.6 × what the pilot achieved to date
    parent: str | None = None
    pilot: str | None = None  # pilot name, for pilot goals
    owner: str = "E00001"


SPECS = [
    Spec("org", ORG_GOAL, L.ORGANISATION, "ORG", "customer_satisfaction", "80", "90"),
    Spec("claims", "Claims handled faster", L.DEPARTMENT, "DEP11", "handling_time", "18", "13",
         "org", owner="E00002"),
    Spec("cost", "Lower cost to serve", L.DEPARTMENT, "DEP21", "cost_saved", "0", "150000",
         "org"),
    Spec("team-cases", "More claims closed each week", L.TEAM, "TEAM113", "cases_closed", "20",
         "40", "claims", owner="E00003"),
    Spec("team-quality", "Answers right the first time", L.TEAM, "TEAM111",
         "customer_satisfaction", "80", "92", "claims"),
    Spec("triage", "Triage creates value", L.PILOT, "TEAM111", "value_created", "0", "auto",
         "team-quality", pilot="Same-day claims triage", owner="E00002"),
    Spec("invoices", "Matching saves hours", L.PILOT, "TEAM112", "hours_saved", "0", "auto",
         "claims", pilot="Invoice matching automation"),
]  # fmt: skip
# (pilot name, goal keys it serves)
SERVES = [
    ("Same-day claims triage", ["org", "claims", "triage"]),
    ("Invoice matching automation", ["cost", "invoices"]),
    ("Returns desk", ["org"]),
    ("Customer callback redesign", ["team-quality"]),
]
# (org unit external_id, person external_id): who heads which unit.
HEADS = [("ORG", "E00001"), ("DEP11", "E00002"), ("TEAM113", "E00003")]


def seed(ctx: DemoContext) -> None:
    # The cascade ends at the demo's pilots: without them there is nothing to show.
    if ctx.pilots == 0 or Goal.objects.filter(title=ORG_GOAL, parent__isnull=True).exists():
        return
    people = {p.external_id: p for p in Person.objects.filter(external_id__in=_owners())}
    units = {u.external_id: u for u in OrgUnit.objects.filter(external_id__in=_units())}
    metrics = {m.key: m for m in MetricDefinition.objects.all()}
    pilots = {p.name: p for p in Pilot.objects.filter(name__in=[n for n, _ in SERVES])}
    if not _complete(people, units, metrics):
        ctx.notes.append("Goals: skipped (the demo organisation lacks units or metrics).")
        return
    _heads(people, units)
    by = User.objects.filter(is_superuser=False, groups__name="portfolio").first()
    start, end = _period(ctx.months)
    goals = {}
    for spec in SPECS:
        pilot = pilots.get(spec.pilot) if spec.pilot else None
        if spec.pilot and pilot is None:
            continue
        goals[spec.key] = services.goal_create(
            by=by,
            title=spec.title,
            level=spec.level,
            org_unit=units[spec.unit],
            owner=people[spec.owner],
            period_start=start,
            period_end=end,
            metric=metrics[spec.metric],
            start_value=Decimal(spec.start),
            target_value=Decimal(spec.target if spec.target != "auto" else "1000000"),
            parent=goals.get(spec.parent) if spec.parent else None,
            pilot=pilot,
        )
    _auto_targets(by, goals)
    _links(by, goals, pilots)
    ctx.notes.append(f"Goals: {len(goals)} from the organisation down to two pilots.")


def _owners() -> set[str]:
    return {spec.owner for spec in SPECS} | {person for _, person in HEADS}


def _units() -> set[str]:
    return {spec.unit for spec in SPECS} | {unit for unit, _ in HEADS}


def _complete(people, units, metrics) -> bool:
    return (
        _owners() <= set(people)
        and _units() <= set(units)
        and all(spec.metric in metrics for spec in SPECS)
    )


def _heads(people, units) -> None:
    for unit, person in HEADS:
        UnitHead.objects.get_or_create(org_unit=units[unit], person=people[person])


def _period(months: int) -> tuple[date, date]:
    """From the first month of the demo's history, for a year."""
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=31 * months)).replace(day=1)
    end = start.replace(year=start.year + 1) - timedelta(days=1)
    return start, max(end, today + timedelta(days=60))


def _auto_targets(by, goals) -> None:
    """Pilot goals aim at 1.6 × what their pilot achieved to date: about 60 % done."""
    book = progress_book()
    for spec in SPECS:
        goal = goals.get(spec.key)
        if goal is None or spec.target != "auto":
            continue
        done = book[goal.pk].measurement
        achieved = done.value if done and done.value > 0 else Decimal(6000)
        target = (achieved * Decimal("1.6") / 100).quantize(Decimal(1), ROUND_UP) * 100
        services.goal_update(goal=goal, by=by, data={"target_value": target})


def _links(by, goals, pilots) -> None:
    if "invoices" in goals:
        services.contribution_add(
            from_goal=goals["invoices"], to_goal=goals["cost"], weight=Decimal(60), by=by
        )
    for name, keys in SERVES:
        pilot = pilots.get(name)
        if pilot is not None:
            sponsor = pilot.sponsor.user
            services.pilot_goals_set(
                pilot=pilot, goals=[goals[k] for k in keys if k in goals], by=sponsor
            )

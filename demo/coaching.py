"""Demo step: months of coaching cycles for every workgroup of a started pilot, at a roughly
steady cadence with realistic gaps (holidays, crunch weeks), a few abandoned cycles, some
groups overdue now, and opportunities in every status. Work-redefinition pilots find more
and bigger opportunities than job-redesign ones.

Idempotent (a workgroup that has cycles is left alone) and deterministic (one generator per
workgroup, keyed on the pilot's and the group's names). Written in bulk, not through the
services: the demo replays history for supervisors who have no login.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from coaching.models import (
    ActionKind,
    Cycle,
    CycleAction,
    EffectUnit,
    Opportunity,
    OpportunityStatus,
    Reminder,
    Stage,
)
from coaching.reminders import reminders_raise_overdue
from demo.steps import DemoContext
from pilots.models import Approach, PilotStatus, Workgroup

STARTED = [PilotStatus.RUNNING, PilotStatus.REVIEWING, PilotStatus.SCALED, PilotStatus.STOPPED]

DATA_SOUGHT = [
    "How long requests wait between arrival and first touch, by day of week.",
    "Which customer complaints repeat, from the last month of tickets.",
    "Where handoffs to other teams stall: a week of tracked handoffs.",
    "What the team spends time on that customers never see: a two-day time log.",
    "Rework rate per request type, pulled from the case system.",
    "What our internal customers say slows them down: five short interviews.",
    "Volume versus staffing per shift over the last six weeks.",
]
CONTEXT = [
    "Backlog grew after the quarter-end peak; two people were on leave.",
    "A new intake form went live last month and nobody has looked at its effect yet.",
    "The team is still getting used to spending an hour a week on improvement work.",
    "Finance asked for faster turnaround on month-end requests.",
    "Customers have started calling instead of emailing, which changes the load.",
]
TASK_ACTIONS = [
    "Map every step of the refund request and time each one",
    "Trial a shared checklist for new cases",
    "Batch the low-value requests into one afternoon slot",
    "Remove the duplicate approval step for requests under the limit",
    "Set up a daily queue review at 9:00",
    "Write the three most common answers as templates",
    "Pilot same-day triage for urgent requests",
]
RELATIONSHIP_ACTIONS = [
    "Coffee with the billing lead to understand their month-end crunch",
    "Invite a customer to the Friday review",
    "Pair a new starter with a veteran for a week",
    "Ask the warehouse team what they wish we sent them",
    "Hold a short retro on what made last week hard",
    "Agree a direct line with the IT service desk for blocked cases",
]
LEARNED = [
    "Most delay sits in waiting for other teams, not in our own work.",
    "The team knows where the waste is; they had never been asked.",
    "Templates saved time but customers noticed the tone; we need to keep them personal.",
    "Urgent requests are rarer than we thought; the label is overused.",
    "People took ownership faster when they chose the experiment themselves.",
    "The handoff to billing is where most rework starts.",
]
SURPRISED = [
    "How much of the week goes to chasing information.",
    "A customer offered to test the new process with us.",
    "Two people had already built their own workaround and never shared it.",
    "",
    "The quiet shift had the most rework.",
]
CHANGES_NEXT = [
    "Keep the daily queue review; drop the batching trial.",
    "Extend the checklist to the phone channel and measure rework again.",
    "Ask billing to join our Monday huddle for a month.",
    "Let each person own one improvement experiment per cycle.",
    "Stop the duplicate approval for good and tell internal audit why.",
    "Spend the next cycle on the top repeat complaint.",
]
ABANDON_REASONS = [
    "Half the team was pulled into the system migration.",
    "Peak season: no time for experiments this fortnight.",
    "The group was reorganised mid-cycle; restarting with the new members.",
]
OPPORTUNITIES = [
    ("Customers re-send the same documents", "A shared upload link would end the resends."),
    ("Billing re-keys every order by hand", "An export from our system would remove it."),
    ("Warranty claims approved after the deadline", "Late approvals cost goodwill credits."),
    ("Two teams answer the same questions", "A joint FAQ and one inbox for both."),
    ("Unused upsell in renewal calls", "Customers ask for the premium tier; nobody offers it."),
    ("Manual weekly report nobody reads", "Stop it and give managers the live dashboard."),
    ("Suppliers paid twice on split invoices", "A check on invoice numbers would catch it."),
    ("New starters take six weeks to be productive", "A buddy plan could halve that."),
    ("Night shift idle between 2 and 4", "Use the slot for the backlog of low-priority checks."),
    ("Returns not restocked for days", "Same-day restock frees stock for sale."),
    ("Customers call to ask where their case is", "A status text at each step ends the calls."),
    ("Credit checks repeated for existing clients", "Reuse the check from the last year."),
    ("Expensive courier used by default", "Standard post is fine for most parcels."),
    ("Small business clients want a monthly review", "A paid advisory call they asked for."),
    ("Contracts printed, signed and scanned", "E-signature ends a two-day loop."),
    ("Errors found only at month-end", "A daily check finds them while they are cheap."),
    ("Field visits booked without the parts", "A parts check at booking saves second trips."),
    ("Complaints handled by the most senior people", "A playbook lets anyone resolve most."),
]
DROP_REASONS = [
    "Out of the group's control; passed to the IT roadmap.",
    "Too small to be worth the change once measured.",
    "Another initiative already covers it.",
]


@dataclass
class Plan:
    """What one workgroup's history will hold, before it is written in bulk."""

    cycles: list[Cycle] = field(default_factory=list)
    actions: list[list[CycleAction]] = field(default_factory=list)
    opportunities: list[tuple[int, int | None, Opportunity]] = field(default_factory=list)
    titles: list[tuple[str, str]] = field(default_factory=list)  # not yet used, shuffled


def seed(ctx: DemoContext) -> None:
    now = timezone.now()
    plans = [
        _plan(ctx, group, now, slips=_slips(ctx, group, n))
        for n, group in enumerate(_workgroups(ctx))
    ]
    plans = [plan for plan in plans if plan.cycles]
    _write(plans)
    _reminders(now)
    total = sum(len(plan.cycles) for plan in plans)
    if total:
        ctx.notes.append(f"Coaching: {total} cycles logged for {len(plans)} workgroups.")


def _workgroups(ctx: DemoContext) -> list[Workgroup]:
    groups = Workgroup.objects.filter(pilot__status__in=STARTED, pilot__started_at__isnull=False)
    demo_pilots = ctx.shared.get("demo_pilots")
    if demo_pilots:
        groups = groups.filter(pilot__in=[getattr(p, "pk", p) for p in demo_pilots])
    return list(
        groups.filter(cycles__isnull=True)
        .select_related("pilot", "supervisor")
        .prefetch_related("memberships")
        .order_by("pilot__name", "name", "pk")
    )


def _working_time(day: datetime, rng) -> datetime:
    return day.replace(hour=rng.randint(8, 16), minute=rng.choice([0, 15, 30, 45]), second=0)


def _slips(ctx: DemoContext, group: Workgroup, index: int) -> bool:
    """Which groups let the cadence slip (so they are overdue now): every third one, and
    always supervisor2's, never the demo supervisor's, so both views have something to show."""
    demo_people = ctx.shared.get("demo_people", {})
    if _coached_by(group, demo_people.get("supervisor")):
        return False
    return _coached_by(group, demo_people.get("supervisor2")) or index % 3 == 1


def _coached_by(group: Workgroup, person) -> bool:
    return person is not None and group.supervisor_id == person.pk


def _plan(ctx: DemoContext, group: Workgroup, now: datetime, slips: bool) -> Plan:
    """Cycles one after another from the pilot's start; stage dates a few days apart."""
    rng = ctx.rng_for(f"coaching:{group.pilot.name}:{group.name}")
    pilot = group.pilot
    end = pilot.ended_at or now
    running = pilot.status == PilotStatus.RUNNING
    if running and slips:
        end = now - timedelta(days=group.cadence_days + rng.randint(3, 12))
    people = [group.supervisor_id, *(m.person_id for m in group.memberships.all())]
    plan = Plan(titles=rng.sample(OPPORTUNITIES, len(OPPORTUNITIES)))
    start = _working_time(pilot.started_at + timedelta(days=rng.randint(1, 5)), rng)
    while start < end:
        cycle, actions = _cycle(rng, group, len(plan.cycles) + 1, start, now, people)
        plan.cycles.append(cycle)
        plan.actions.append(actions)
        _opportunities(rng, group, plan, len(plan.cycles) - 1, start, now)
        start = _working_time(start + timedelta(days=_gap(rng, group.cadence_days)), rng)
    _close_unfinished(plan, running)
    _settle(rng, plan, now)
    return plan


def _gap(rng, cadence_days: int) -> int:
    """Mostly on cadence, sometimes early, now and then a long gap (holidays, peaks)."""
    roll = rng.random()
    if roll < 0.1:
        return round(cadence_days * rng.uniform(1.6, 2.6))
    return max(3, round(cadence_days * rng.uniform(0.7, 1.1)))


def _cycle(rng, group, number: int, start: datetime, now: datetime, people) -> tuple:
    steps = [rng.randint(1, 3), rng.randint(3, 8), rng.randint(1, 3), rng.randint(0, 2)]
    stamps = []
    moment = start
    for days in steps:
        moment = moment + timedelta(days=days, hours=rng.randint(0, 5))
        stamps.append(moment if moment < now else None)
    cycle = Cycle(
        workgroup=group,
        number=number,
        started_at=start,
        data_sought=rng.choice(DATA_SOUGHT),
        context=rng.choice(CONTEXT),
        data_done_at=stamps[0],
    )
    if stamps[0]:
        cycle.action_done_at = stamps[1]
    if cycle.action_done_at:
        cycle.learned, cycle.surprised = rng.choice(LEARNED), rng.choice(SURPRISED)
        cycle.confidence = min(10, max(2, round(rng.gauss(6.5, 1.6))))
        cycle.reflection_done_at = stamps[2]
    if cycle.reflection_done_at:
        cycle.changes_next = rng.choice(CHANGES_NEXT)
        cycle.adaptation_done_at = stamps[3]
    cycle.stage = _stage_of(cycle)
    if cycle.stage == Stage.COMPLETED and rng.random() < 0.06:
        _abandon(rng, cycle)
    actions = _actions(rng, cycle, people) if cycle.data_done_at else []
    return cycle, actions


def _actions(rng, cycle: Cycle, people: list[int]) -> list[CycleAction]:
    """One or two pieces of task work, and usually one of relationship work."""
    kinds = [ActionKind.TASK] * rng.choice([1, 1, 2])
    kinds += [ActionKind.RELATIONSHIP] * rng.choice([0, 1, 1])
    pools = {ActionKind.TASK: TASK_ACTIONS, ActionKind.RELATIONSHIP: RELATIONSHIP_ACTIONS}
    return [
        CycleAction(
            description=rng.choice(pools[kind]),
            kind=kind,
            owner_id=rng.choice(people),
            due_date=(cycle.data_done_at + timedelta(days=rng.randint(3, 7))).date(),
            done=cycle.action_done_at is not None and rng.random() < 0.85,
            created_at=cycle.data_done_at + timedelta(hours=1),
        )
        for kind in kinds
    ]


def _stage_of(cycle: Cycle) -> str:
    for stage, stamp in [
        (Stage.DATA, cycle.data_done_at),
        (Stage.ACTION, cycle.action_done_at),
        (Stage.REFLECTION, cycle.reflection_done_at),
        (Stage.ADAPTATION, cycle.adaptation_done_at),
    ]:
        if stamp is None:
            return stage
    return Stage.COMPLETED


def _abandon(rng, cycle: Cycle) -> None:
    """Abandoned during its action stage: the later stages were never reached."""
    cycle.stage, cycle.abandon_reason = Stage.ABANDONED, rng.choice(ABANDON_REASONS)
    cycle.abandoned_at = cycle.action_done_at
    cycle.action_done_at = cycle.reflection_done_at = cycle.adaptation_done_at = None
    cycle.learned = cycle.surprised = cycle.changes_next = ""
    cycle.confidence = None


def _close_unfinished(plan: Plan, running: bool) -> None:
    """Only a running pilot's last cycle may still be open; any other unfinished cycle (a
    pilot that ended mid-cycle) was abandoned when the pilot stopped."""
    for index, cycle in enumerate(plan.cycles):
        last = index == len(plan.cycles) - 1
        if cycle.stage in (Stage.COMPLETED, Stage.ABANDONED) or (running and last):
            continue
        cycle.stage, cycle.abandon_reason = Stage.ABANDONED, "The pilot moved on to its review."
        cycle.abandoned_at = cycle.started_at + timedelta(days=7)


def _opportunities(rng, group, plan: Plan, index: int, start: datetime, now: datetime) -> None:
    """Work redefinition finds more, and bigger, opportunities; job redesign finds fewer,
    mostly efficiency in hours."""
    redefining = group.pilot.approach == Approach.WORK_REDEFINITION
    chances = [0.55, 0.35, 0.15] if redefining else [0.3, 0.08]
    for chance in chances:
        if rng.random() >= chance:
            continue
        if not plan.titles:
            return
        title, description = plan.titles.pop()
        value = rng.randint(40, 600) * 100 if redefining else rng.randint(5, 80) * 100
        hours = rng.randint(10, 160) if redefining else rng.randint(20, 240)
        # Most gains are counted in hours; the rest in money at a typical loaded rate. One
        # draw decides both, so an amount always matches its unit.
        in_hours = rng.random() < 0.7
        opportunity = Opportunity(
            workgroup=group,
            title=title,
            description=description,
            estimated_value=Decimal(value),
            efficiency_unit=EffectUnit.HOURS if in_hours else EffectUnit.MONEY,
            estimated_efficiency=Decimal(hours if in_hours else hours * 45),
            found_at=min(start + timedelta(days=rng.randint(1, 6)), now),
        )
        plan.opportunities.append((index, None, opportunity))


def _settle(rng, plan: Plan, now: datetime) -> None:
    """Older opportunities are mostly addressed (a few cycles later) or dropped."""
    settled = []
    last = len(plan.cycles) - 1
    for index, _, opportunity in plan.opportunities:
        later = index + rng.randint(0, 3)
        roll = rng.random()
        target = plan.cycles[min(later, last)]
        if later <= last and roll < 0.6 and target.stage != Stage.ABANDONED:
            opportunity.status = OpportunityStatus.ADDRESSED
            opportunity.realised_value = _share(opportunity.estimated_value, rng.uniform(0.4, 1.3))
            opportunity.realised_efficiency = _share(
                opportunity.estimated_efficiency, rng.uniform(0.5, 1.2)
            )
            opportunity.addressed_at = _after(opportunity.found_at, target.started_at, 5, now)
            settled.append((index, min(later, last), opportunity))
            continue
        if later <= last and roll < 0.78:
            opportunity.status, opportunity.drop_reason = (
                OpportunityStatus.DROPPED,
                rng.choice(DROP_REASONS),
            )
            opportunity.dropped_at = _after(opportunity.found_at, target.started_at, 3, now)
        settled.append((index, None, opportunity))
    plan.opportunities = settled


def _after(found: datetime, cycle_start: datetime, days: int, now: datetime) -> datetime:
    """A few days into the settling cycle, never before the finding, never in the future."""
    return min(max(found + timedelta(hours=4), cycle_start + timedelta(days=days)), now)


def _share(estimate: Decimal, ratio: float) -> Decimal:
    return (estimate * Decimal(str(round(ratio, 2)))).quantize(Decimal("1"))


def _write(plans: list[Plan]) -> None:
    """Cycles first (then their `previous` links, which need primary keys), then actions
    and opportunities, each in one bulk insert."""
    Cycle.objects.bulk_create([c for plan in plans for c in plan.cycles], batch_size=2000)
    linked = []
    for plan in plans:
        completed = None
        for cycle in plan.cycles:
            if completed is not None:
                cycle.previous_id = completed.pk
                linked.append(cycle)
            if cycle.stage == Stage.COMPLETED:
                completed = cycle
    Cycle.objects.bulk_update(linked, ["previous"], batch_size=2000)
    actions, opportunities = [], []
    for plan in plans:
        for cycle, cycle_actions in zip(plan.cycles, plan.actions, strict=True):
            for action in cycle_actions:
                action.cycle = cycle
                actions.append(action)
        for found, addressed, opportunity in plan.opportunities:
            opportunity.found_in = plan.cycles[found]
            opportunity.addressed_in = plan.cycles[addressed] if addressed is not None else None
            opportunities.append(opportunity)
    CycleAction.objects.bulk_create(actions, batch_size=2000)
    Opportunity.objects.bulk_create(opportunities, batch_size=2000)


def _reminders(now: datetime) -> None:
    """Today's overdue reminders, shown in the app; marked as already emailed so seeding
    sends no mail (the next daily run files and sends tomorrow's)."""
    ids = reminders_raise_overdue(today=timezone.localdate(now))
    Reminder.objects.filter(pk__in=ids).update(emailed_at=now)

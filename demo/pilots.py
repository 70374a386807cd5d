"""Demo step: pilots in every state and with both approaches, replayed through the real
services with back-dated times, so their history reads like the months it stands for:

- two running pilots, where the demo "supervisor" and "supervisor2" coach (the demo "member"
  is in the supervisor's group); the first is close to its patience horizon;
- one in review, one scaled (after an earlier "adapt"), one stopped prematurely with its
  reason, one approved with low self-containment (heavy ties, competing initiatives), one
  draft; more pilots repeat the pattern.

Each person sits in one demo pilot at most, so no one is in two running pilots. Supervisors
without a login cannot sign through the service (it checks the signer is the supervisor), so
their charters are written directly, as signed on the day; every other step is a service call.
Idempotent: if demo pilots exist, they are shared and nothing is added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from core.errors import DomainError
from demo.steps import DemoContext
from people.models import OrgUnit, Person
from pilots import services, workgroups
from pilots.models import Approach, Charter, Pilot, PilotStatus

WR, JR = Approach.WORK_REDEFINITION, Approach.JOB_REDESIGN
S = PilotStatus


@dataclass(frozen=True)
class Plan:
    name: str
    approach: str
    status: str
    sponsor: str  # demo login
    weeks_ago: int  # start, in weeks before today (0: not started)
    horizon: int = 26
    low_containment: bool = False
    pain: str = "Requests wait days for a first answer."
    project: str = "Answer every new request the same day."


PLANS = [
    Plan("Same-day claims triage", WR, S.RUNNING, "sponsor", 24,
         pain="Claims wait three weeks for a first look.",
         project="Triage every claim on the day it arrives."),
    Plan("Invoice matching automation", JR, S.RUNNING, "leader", 12,
         pain="Invoices are matched by hand, line by line.",
         project="Automate matching for the ten largest suppliers."),
    Plan("Customer callback redesign", WR, S.REVIEWING, "sponsor", 30,
         pain="Customers call back two or three times about the same issue."),
    Plan("Procurement self-service", JR, S.SCALED, "leader", 34, horizon=20,
         pain="Simple purchases take two weeks of approvals.",
         project="A self-service catalogue for purchases under the limit."),
    Plan("Field service scheduling", WR, S.STOPPED, "sponsor", 20,
         pain="Technicians arrive without the parts they need."),
    Plan("Onboarding redefined", WR, S.APPROVED, "leader", 0, low_containment=True,
         pain="New starters take four months to work on their own."),
    Plan("Payroll exceptions", JR, S.DRAFT, "sponsor", 0,
         pain="Payroll exceptions are fixed by hand every month."),
    Plan("Returns desk", WR, S.RUNNING, "leader", 8,
         pain="Returned goods sit in the warehouse for weeks."),
]  # fmt: skip
COUNTERPARTS = ["Finance", "IT service desk", "Legal", "Warehouse", "Sales", "HR", "Billing"]
INITIATIVES = [("ERP upgrade", "IT"), ("Cost review", "Finance"), ("Office move", "Facilities")]


def seed(ctx: DemoContext) -> None:
    existing = list(Pilot.objects.filter(name__in=[_name(i) for i in range(ctx.pilots)]))
    if existing or ctx.pilots == 0:
        ctx.shared["demo_pilots"] = existing
        return
    demo = Demo(ctx)
    created = [p for p in (demo.pilot(i) for i in range(ctx.pilots)) if p is not None]
    ctx.shared["demo_pilots"] = created
    counts = {status: sum(p.status == status for p in created) for status in S.values}
    ctx.notes.append(
        f"Pilots: {len(created)} ({', '.join(f'{n} {s}' for s, n in counts.items() if n)})."
    )


def _name(index: int) -> str:
    plan = PLANS[index % len(PLANS)]
    return plan.name if index < len(PLANS) else f"{plan.name} {index // len(PLANS) + 1}"


class Demo:
    """Hands out people (each once) and replays each pilot's story."""

    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng_for("pilots")
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.logins = ctx.shared.get("demo_people", {})
        logins = {p.pk for p in self.logins.values()}
        candidates = list(ctx.shared.get("supervisor_candidates", []))
        # The first two candidates are the demo logins "supervisor" and "supervisor2".
        self.demo_supervisors = candidates[:2]
        self.supervisors = [pk for pk in candidates[2:] if pk not in logins]
        taken = logins | set(candidates)
        self.members = [pk for pk in ctx.shared.get("people_ids", []) if pk not in taken]
        self.units = list(OrgUnit.objects.filter(kind="team").order_by("external_id")[:3])

    def pilot(self, index: int) -> Pilot | None:
        plan = PLANS[index % len(PLANS)]
        sponsor = self.logins.get(plan.sponsor)
        if sponsor is None or sponsor.user is None or len(self.demo_supervisors) < 2:
            return None
        start = self.now - dt.timedelta(weeks=plan.weeks_ago or -4)
        pilot = self._create(index, plan, sponsor.user, start)
        groups = 2 if index % 3 == 0 else 1
        for number in range(groups):
            if not self._workgroup(pilot, plan, sponsor.user, index, number, start):
                break
        return self._replay(pilot, plan, sponsor.user, start)

    def _create(self, index: int, plan: Plan, by, start: dt.datetime) -> Pilot:
        pilot = services.pilot_create(
            by=by,
            name=_name(index),
            approach=plan.approach,
            vision="Everyone in the group spends time finding and fixing what slows our "
            "customers down, not only processing the queue."
            if plan.approach == WR
            else "The routine steps run themselves, so the group handles more with less effort.",
            pain_point=plan.pain,
            demonstration_project=plan.project,
            planned_start=start.date(),
            review_date=(start + dt.timedelta(weeks=plan.horizon)).date(),
            patience_horizon_weeks=plan.horizon,
            org_unit=self.units[index % len(self.units)] if self.units else None,
        )
        Pilot.objects.filter(pk=pilot.pk).update(created_at=start - dt.timedelta(weeks=6))
        return pilot

    def _next_supervisor(self, index: int, number: int) -> Person | None:
        # The demo logins "supervisor" and "supervisor2" coach the first two (running) pilots.
        if index < 2 and number == 0:
            pk = self.demo_supervisors[index]
        elif self.supervisors:
            pk = self.supervisors.pop(0)
        else:
            return None
        return Person.objects.select_related("user").get(pk=pk)

    def _workgroup(self, pilot, plan: Plan, by, index: int, number: int, start) -> bool:
        supervisor = self._next_supervisor(index, number)
        size = self.rng.randint(4, 8)
        if supervisor is None or len(self.members) < size:
            return False
        group = workgroups.workgroup_create(
            pilot=pilot, by=by, name=f"{pilot.name.split()[0]} team {number + 1}",
            supervisor=supervisor, cadence_days=self.rng.choice([7, 14, 14, 21]),
        )  # fmt: skip
        people = [self.members.pop(0) for _ in range(size)]
        if index == 0 and number == 0 and "member" in self.logins:
            people[0] = self.logins["member"].pk  # the demo member works with the supervisor
        for person in Person.objects.filter(pk__in=people):
            workgroups.workgroup_member_add(workgroup=group, by=by, person=person)
        self._ties(group, by, heavy=plan.low_containment)
        self._charter(group, by, supervisor, at=self._past(start - dt.timedelta(weeks=3)))
        return True

    def _past(self, at: dt.datetime) -> dt.datetime:
        """Set-up steps of pilots that start in the future happened in the last days."""
        return min(at, self.now - dt.timedelta(days=2))

    def _ties(self, group, by, *, heavy: bool) -> None:
        ties = [(4, 3), (4, 3), (3, 2)] if heavy else [
            (self.rng.randint(1, 3), self.rng.randint(1, 2)) for _ in range(self.rng.randint(1, 2))
        ]  # fmt: skip
        for (frequency, strength), counterpart in zip(
            ties, self.rng.sample(COUNTERPARTS, 3), strict=False
        ):
            workgroups.tie_add(
                workgroup=group, by=by, counterpart=counterpart,
                frequency=frequency, strength=strength,
            )  # fmt: skip
        shares = [25, 20] if heavy else [self.rng.choice([0, 5, 10])]
        for share, (name, owner) in zip(shares, INITIATIVES, strict=False):
            if share:
                workgroups.competing_initiative_add(
                    workgroup=group, by=by, name=name, owner=owner, time_share_percent=share
                )

    def _charter(self, group, by, supervisor: Person, *, at: dt.datetime) -> None:
        if supervisor.user is not None:
            workgroups.charter_sign(
                workgroup=group, by=supervisor.user, open_minded=True, risk_tolerant=True,
                customer_commitment=True, at=at,
            )  # fmt: skip
        else:  # no login to sign with: recorded as signed on the day (see the docstring)
            Charter.objects.filter(workgroup=group).update(
                open_minded=True, risk_tolerant=True, customer_commitment=True, signed_at=at
            )
        workgroups.charter_confirm_assurance(workgroup=group, by=by, at=at + dt.timedelta(days=2))

    def _replay(self, pilot: Pilot, plan: Plan, by, start: dt.datetime) -> Pilot:
        if plan.status == S.DRAFT or not pilot.workgroups.exists():
            return pilot
        # The low self-containment pilot is approved knowingly: the demo acknowledges it.
        approver = self._approver(pilot)
        services.pilot_approve(
            pilot=pilot,
            by=approver,
            acknowledge_low_containment=True,
            at=self._past(start - dt.timedelta(weeks=2)),
        )
        if plan.status == S.APPROVED:
            return pilot
        pilot = self._start(pilot, by, start)
        return self._after_start(pilot, plan, by, start)

    def _approver(self, pilot: Pilot):
        """The demo's portfolio leader approves the other sponsor's pilots; being the only
        portfolio leader, it approves its own as the organisation allows (self-approval)."""
        from pilots.permissions import may_self_approve
        from portfolio.models import OrganisationSettings

        leader = self.logins.get("leader")
        if leader is not None and leader.user and leader.pk != pilot.sponsor_id:
            return leader.user
        if not may_self_approve(pilot):
            OrganisationSettings.objects.update_or_create(
                pk=1, defaults={"allow_self_approval": True}
            )
        return pilot.sponsor.user

    def _start(self, pilot: Pilot, by, start: dt.datetime) -> Pilot:
        try:
            services.pilot_start(pilot=pilot, by=by, at=start, reason="Charters complete.")
        except DomainError as error:
            if error.code != "baseline_missing_data":
                raise
            pilot = Pilot.objects.get(pk=pilot.pk)  # the failed start rolled back
            services.pilot_start(
                pilot=pilot, by=by, at=start,
                override_reason="Performance history before the demo's first month is not "
                "loaded; the gaps are recorded.",
            )  # fmt: skip
        return pilot

    def _after_start(self, pilot: Pilot, plan: Plan, by, start: dt.datetime) -> Pilot:
        week = dt.timedelta(weeks=1)
        if plan.status == S.STOPPED:
            services.pilot_stop(
                pilot=pilot, by=by, at=start + 8 * week,
                reason="A reorganisation split the group across two departments.",
            )  # fmt: skip
        elif plan.status in (S.REVIEWING, S.SCALED):
            services.pilot_review(pilot=pilot, by=by, at=start + (plan.horizon - 4) * week)
        if plan.status == S.SCALED:
            self._scale(pilot, plan, by, start)
        return pilot

    def _scale(self, pilot: Pilot, plan: Plan, by, start: dt.datetime) -> None:
        review = start + dt.timedelta(weeks=plan.horizon - 4)
        services.pilot_decide(
            pilot=pilot, by=by, decision="adapt", at=review + dt.timedelta(days=3),
            lessons_learned="The catalogue works for office supplies, not yet for IT kit.",
        )  # fmt: skip
        services.pilot_review(pilot=pilot, by=by, at=review + dt.timedelta(weeks=6))
        services.pilot_decide(
            pilot=pilot, by=by, decision="scale", at=review + dt.timedelta(weeks=7),
            lessons_learned="Self-service halves the time to buy simple items.",
            capabilities_built="Catalogue curation; weekly exception review.",
            spread_to=self.units[1:] or self.units,
        )  # fmt: skip

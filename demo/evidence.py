"""Demo step (before the portfolio's): a comparison set and a finished pilot with answered
follow-ups, replayed through the real services with back-dated times:

- "Service desk redefined", four workgroups, in review: weekly first-contact resolution and
  hours freed for improvement work, with its comparison group — four of the six workgroups
  of "Service desk, next wave" (a draft, the natural comparison) — frozen at its start, so
  the pilot and review pages show the effect, the event study and the money;
- "Claims desk redefined", scaled 64 weeks ago: its +6 weeks, +6 months and +1 year
  follow-ups were sent and answered (mostly anonymously), the +2 years one is scheduled.

Follow-up invitations of the past are written as sent then (no e-mail goes out now), and one
open link of the last wave is printed so the form can be tried. Idempotent by pilot name.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from demo.steps import DemoContext
from evidence import followups, services
from evidence.models import FollowUpAnswer, FollowUpInvitation, FollowUpWave
from metrics.models import MetricDefinition, Observation, SubjectType
from people.models import Person
from pilots import services as pilot_services
from pilots import workgroups
from pilots.models import Charter, Pilot, Workgroup, WorkgroupMember
from pilots.permissions import other_portfolio_leaders

REVIEWED, POOL, SCALED = (
    "Service desk redefined",
    "Service desk, next wave",
    "Claims desk redefined",
)
WEEKS_RUN, PRE_WEEKS = 14, 16
DEFINITIONS = {
    "first_contact_resolution": ("First-contact resolution", "%", "value", "mean"),
    "hours_freed": ("Hours freed for improvement work", "hours", "efficiency", "sum"),
}
ANSWERS = [
    ("Weekly problem hunts with the customers in the room", "The weekly problem hunt",
     "That other teams try the problem hunt", "Month-end reporting still eats two days"),
    ("Seeing the whole claim instead of my step", "Owning the claim end to end",
     "More time for improvement work", "The old approval rules"),
    ("The customer callbacks we stopped needing", "Talking to customers directly",
     "Keep the weekly problem hunt", "Month-end reporting"),
    ("Trying things without asking first", "The weekly problem hunt",
     "More trust from other departments", "The old approval rules in finance"),
    ("Fixing causes instead of cases", "Owning the claim end to end",
     "That the next wave gets the same coaching", "Too many meetings again"),
    ("Our supervisor's coaching questions", "The coaching questions",
     "More time for improvement work", "Month-end reporting"),
]  # fmt: skip
SCORES = {6: [9, 8, 9, 8, 7, 9, 8, 10, 8], 26: [8, 7, 8, 6, 8, 9, 7, 8], 52: [8, 8, 7, 9, 8, 7, 8]}


def seed(ctx: DemoContext) -> None:
    logins = ctx.shared.get("demo_people", {})
    sponsor, leader = logins.get("sponsor"), logins.get("leader")
    if sponsor is None or leader is None or Pilot.objects.filter(name=REVIEWED).exists():
        return
    people = _free_people()
    if len(people) < 60:
        ctx.notes.append("Evidence: too few people left for the comparison demo (needs 60).")
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    metrics = _definitions()
    reviewed = _reviewed_pilot(ctx, sponsor.user, leader.user, people, metrics, now)
    scaled = _scaled_pilot(ctx, sponsor.user, people, now)
    services.effect_snapshot_refresh(pilot_id=reviewed.pk)
    ctx.notes.append(
        f"Evidence: {reviewed.name} has a frozen comparison group and an effect; "
        f"{scaled.name} has answered follow-ups."
    )


def _free_people() -> list[int]:
    """Active people without a user, in no workgroup as member or supervisor."""
    busy = set(WorkgroupMember.objects.values_list("person_id", flat=True))
    busy |= set(Workgroup.objects.values_list("supervisor_id", flat=True))
    free = Person.objects.filter(active=True, user__isnull=True).exclude(email="")
    return [
        pk for pk in free.order_by("external_id").values_list("pk", flat=True) if pk not in busy
    ]


def _definitions() -> dict[str, MetricDefinition]:
    found = {}
    for key, (name, unit, kind, aggregation) in DEFINITIONS.items():
        found[key], _ = MetricDefinition.objects.get_or_create(
            key=key,
            defaults={"name": name, "unit": unit, "kind": kind, "aggregation": aggregation,
                      "direction": "higher_is_better"},
        )  # fmt: skip
    return found


def _pilot(by, name: str, start: dt.datetime, horizon: int = 12) -> Pilot:
    return pilot_services.pilot_create(
        by=by, name=name, approach="work_redefinition",
        vision="Everyone on the desk spends time finding and fixing what makes customers call "
        "again, not only answering the queue.",
        pain_point="Customers call two or three times about the same issue.",
        demonstration_project="Resolve the ten most frequent repeat calls at their cause.",
        planned_start=start.date(), review_date=(start + dt.timedelta(weeks=horizon)).date(),
        patience_horizon_weeks=horizon, baseline_window_weeks=PRE_WEEKS,
    )  # fmt: skip


def _groups(pilot, by, people: list[int], count: int, size: int, at: dt.datetime) -> list:
    made = []
    for n in range(count):
        supervisor = Person.objects.get(pk=people.pop(0))
        group = workgroups.workgroup_create(
            pilot=pilot, by=by, name=f"{pilot.name.split(',')[0].split()[0]} desk {n + 1}"
            if "next wave" not in pilot.name else f"Next-wave desk {n + 1}",
            supervisor=supervisor,
        )  # fmt: skip
        for person in Person.objects.filter(pk__in=[people.pop(0) for _ in range(size)]):
            workgroups.workgroup_member_add(workgroup=group, by=by, person=person)
        # Supervisors without a login cannot sign through the service: recorded as signed.
        Charter.objects.filter(workgroup=group).update(
            open_minded=True, risk_tolerant=True, customer_commitment=True, signed_at=at
        )
        workgroups.charter_confirm_assurance(workgroup=group, by=by, at=at)
        made.append(group)
    return made


def _start(pilot, by, at: dt.datetime) -> None:
    # Approved by a portfolio leader other than the sponsor (separation of duties).
    approver = other_portfolio_leaders(pilot).order_by("pk").first()
    pilot_services.pilot_approve(
        pilot=pilot, by=approver, acknowledge_low_containment=True, at=at - dt.timedelta(days=7)
    )
    pilot_services.pilot_start(
        pilot=pilot, by=by, at=at,
        override_reason="The desk's supervisors are new to the role: no performance history.",
    )  # fmt: skip


def _weekly(ctx, metrics, groups, *, first: dt.date, weeks: int, start: dt.date | None):
    """Weekly observations; after `start` the pilot's groups climb (first-contact resolution
    by some 6 points, hours freed by some 5 a week), the others drift as before."""
    rows = []
    for group in groups:
        rng = ctx.rng_for(f"evidence:weekly:{group.name}")
        base = {"first_contact_resolution": rng.uniform(58, 72), "hours_freed": rng.uniform(3, 9)}
        trend = rng.uniform(-0.05, 0.15)
        for w in range(weeks):
            day = first + dt.timedelta(weeks=w)
            ramp = min(1.0, max(0, (day - start).days / 42)) if start and day >= start else 0
            for key, metric in metrics.items():
                lift = {"first_contact_resolution": 6.0, "hours_freed": 5.0}[key] * ramp
                noise = rng.gauss(0, 2.2 if key == "first_contact_resolution" else 1.3)
                value = max(0, base[key] + trend * w + lift + noise)
                rows.append(Observation(
                    metric=metric, subject_type=SubjectType.WORKGROUP, subject_id=group.pk,
                    period_start=day, period_end=day + dt.timedelta(days=6),
                    value=Decimal(f"{value:.2f}"), source="demo-evidence",
                ))  # fmt: skip
    Observation.objects.bulk_create(rows, batch_size=2000)


def _reviewed_pilot(ctx, by, leader, people, metrics, now) -> Pilot:
    start = now - dt.timedelta(weeks=WEEKS_RUN, days=now.weekday())  # a Monday
    pilot = _pilot(by, REVIEWED, start)
    own = _groups(pilot, by, people, 4, 4, start - dt.timedelta(weeks=2))
    pool = _groups(_pilot(leader, POOL, now + dt.timedelta(weeks=8)), leader, people, 6, 3, now)
    first = start.date() - dt.timedelta(weeks=PRE_WEEKS)
    weeks = (timezone.localdate() - first).days // 7
    _weekly(ctx, metrics, own, first=first, weeks=weeks, start=start.date())
    _weekly(ctx, metrics, pool, first=first, weeks=weeks, start=None)
    _start(pilot, by, start)
    pilot_services.pilot_review(pilot=pilot, by=by, at=now - dt.timedelta(days=3))
    return pilot


def _scaled_pilot(ctx, by, people, now) -> Pilot:
    ended = now - dt.timedelta(weeks=64)
    start = ended - dt.timedelta(weeks=28)
    pilot = _pilot(by, SCALED, start, horizon=24)
    _groups(pilot, by, people, 3, 4, start - dt.timedelta(weeks=2))
    _start(pilot, by, start)
    pilot_services.pilot_review(pilot=pilot, by=by, at=ended - dt.timedelta(weeks=2))
    units = list(pilot.org_unit and [pilot.org_unit] or [])
    from people.models import OrgUnit

    units = units or list(OrgUnit.objects.order_by("external_id")[:1])
    pilot_services.pilot_decide(
        pilot=pilot, by=by, decision="scale", at=ended, spread_to=units,
        lessons_learned="Owning a claim end to end halves the repeat contacts.",
    )  # fmt: skip
    pilot = Pilot.objects.get(pk=pilot.pk)
    _past_followups(ctx, pilot, now)
    return pilot


def _past_followups(ctx, pilot: Pilot, now: dt.datetime) -> None:
    """The waves that were due are written as sent then, with the answers people gave."""
    rng = ctx.rng_for("evidence:followups")
    invited = followups.invitees(pilot)
    for wave in FollowUpWave.objects.filter(pilot=pilot, due_on__lte=timezone.localdate()):
        sent = timezone.make_aware(dt.datetime.combine(wave.due_on, dt.time(8)))
        FollowUpWave.objects.filter(pk=wave.pk).update(sent_at=sent)
        scores = SCORES.get(wave.offset_weeks, [])
        for n, (person_id, role) in enumerate(invited.items()):
            answered = n < len(scores)
            FollowUpInvitation.objects.create(
                wave=wave, person_id=person_id, role=role, emailed_at=sent,
                expires_at=sent + dt.timedelta(days=followups.LINK_DAYS), used=answered,
            )  # fmt: skip
            if answered:
                texts = ANSWERS[rng.randrange(len(ANSWERS))]
                FollowUpAnswer.objects.create(
                    wave=wave, person_id=person_id if n == 1 else None,
                    still_redefined=scores[n], worked_best=texts[0], keep=texts[1],
                    hope_next=texts[2], in_the_way=texts[3],
                )  # fmt: skip
    _a_link_to_try(ctx, pilot, now)


def _a_link_to_try(ctx, pilot: Pilot, now: dt.datetime) -> None:
    from django.conf import settings
    from django.urls import reverse

    open_one = (
        FollowUpInvitation.objects.filter(wave__pilot=pilot, used=False)
        .order_by("-wave__offset_weeks", "id")
        .first()
    )
    if open_one is None:
        return
    token = followups.invitation_issue(open_one, now)
    link = settings.REDEFINE_SITE_URL.rstrip("/") + reverse("evidence:answer", args=[token])
    ctx.notes.append(f"Evidence: a follow-up form to try (works once, 30 days): {link}")

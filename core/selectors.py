"""What waits for a person, read across the apps for the home page: each item with its one
next action. Who may do what is asked of each app's permissions and QuerySets; this module
only gathers and words it. One query per list, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from coaching.selectors import coached_groups
from core.roles import Role, is_hr_admin, roles_of, sees_portfolio
from hrapi.models import DeliveryStatus, WebhookDelivery
from metrics.models import BelowBaselineAlert, ImportJob, ImportStatus
from pilots.models import Pilot, PilotStatus
from pilots.permissions import assurances_to_confirm, charters_to_sign, drafts_to_approve
from portfolio.selectors import horizon_date

# Below-baseline weeks, failed imports and deliveries older than this no longer wait.
RECENT_DAYS = 28
# A running pilot this close to its patience horizon asks its sponsor to prepare the review.
NEAR_HORIZON_DAYS = 14


@dataclass(frozen=True)
class Item:
    """One thing that waits, and the one action that moves it: a link, or a form's button
    when the action is a POST (`post=True`)."""

    text: str
    action: str
    url: str
    post: bool = False
    kind: str = ""


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)


def what_needs_me(user, *, today: date | None = None) -> list[Section]:
    """The sections with something waiting, in the order the person should act on them."""
    today = today or timezone.localdate()
    held = roles_of(user)
    sections = []
    if Role.SUPERVISOR in held:
        sections.append(Section("supervisor", "Your groups", supervisor_items(user, today)))
    if Role.LEADER in held or sees_portfolio(user):
        sections.append(Section("sponsor", "Pilots you sponsor", sponsor_items(user, today)))
    if sees_portfolio(user):
        sections.append(Section("portfolio", "Approvals", approval_items(user)))
    if is_hr_admin(user):
        sections.append(Section("hr_admin", "HR data", hr_items(user, today)))
    return [section for section in sections if section.items]


def _since(today: date) -> date:
    return today - timedelta(days=RECENT_DAYS)


# --- supervisor -------------------------------------------------------------------------------


def supervisor_items(user, today: date) -> list[Item]:
    """Charters first (nothing starts without them), then overdue cycles, then alerts."""
    return _charter_items(user) + _overdue_items(user, today) + _own_alert_items(user, today)


def _charter_items(user) -> list[Item]:
    groups = charters_to_sign(user).select_related("pilot").order_by("pilot__name", "name")
    return [
        Item(
            text=f"Your charter for {g.name} ({g.pilot.name}) waits for your signature.",
            action="Sign your charter",
            url=reverse("pilots:charter", args=[g.pk]),
            kind="charter",
        )
        for g in groups
    ]


def _overdue_items(user, today: date) -> list[Item]:
    """The cadence reminders' rule (`coaching.selectors.with_cadence`), on the groups this
    supervisor coaches; the action carries on the open cycle or starts the next (two queries)."""
    groups = coached_groups(user, today=today).filter(is_overdue=True).order_by("pilot__name")
    items = []
    for g in groups:
        since = (today - timezone.localdate(g.cadence_from)).days
        what = "the last cycle started" if g.last_cycle_at else "the pilot started"
        text = (
            f"{g.name} ({g.pilot.name}) is due a coaching cycle: {since} days since {what}, "
            f"against a cadence of {g.cadence_days}."
        )
        if g.open_cycles:
            cycle = g.open_cycles[0]
            action, url, post = (
                f"Carry on cycle {cycle.number}",
                reverse("coaching:cycle", args=[cycle.pk]),
                False,
            )
        else:
            action, url, post = "Start a cycle", reverse("coaching:cycle_start", args=[g.pk]), True
        items.append(Item(text=text, action=action, url=url, post=post, kind="overdue"))
    return items


def _weeks(n: int) -> str:
    return f"{n} week{'s' if n != 1 else ''}"


def _own_alert_items(user, today: date) -> list[Item]:
    alerts = (
        BelowBaselineAlert.objects.filter(person__user=user, period_end__gte=_since(today))
        .order_by()
        .values("pilot__name", "metric__name")
        .annotate(weeks=Count("pk"), latest=Max("period_start"))
        .order_by("-latest", "metric__name")
    )
    return [
        Item(
            text=(
                f"{a['metric__name']} was below your frozen baseline for {_weeks(a['weeks'])} "
                f"({a['pilot__name']}): HR reads your baseline, not the actual."
            ),
            action="See your protected figures",
            url=reverse("metrics:mine"),
            kind="own_alert",
        )
        for a in alerts
    ]


# --- sponsor ----------------------------------------------------------------------------------


def sponsor_items(user, today: date) -> list[Item]:
    return _assurance_items(user) + _pilot_items(user, today) + _supervisor_alert_items(user, today)


def _assurance_items(user) -> list[Item]:
    groups = (
        assurances_to_confirm(user)
        .select_related("pilot", "supervisor")
        .order_by("pilot__name", "name")
    )
    return [
        Item(
            text=(
                f"Confirm that {g.pilot.name} will not count against "
                f"{g.supervisor.full_name}'s performance metrics ({g.name})."
            ),
            action=f"Confirm the assurance for {g.supervisor.full_name}",
            url=reverse("pilots:assurance", args=[g.pk]),
            post=True,
            kind="assurance",
        )
        for g in groups
    ]


def _pilot_items(user, today: date) -> list[Item]:
    """Approved pilots to start, running ones whose review date has come or whose patience
    horizon is near or past, and reviews waiting for a decision (one query)."""
    pilots = Pilot.objects.filter(
        sponsor__user=user,
        status__in=[PilotStatus.APPROVED, PilotStatus.RUNNING, PilotStatus.REVIEWING],
    ).order_by("name", "pk")
    return [item for pilot in pilots if (item := _pilot_item(pilot, today))]


def _pilot_item(pilot: Pilot, today: date) -> Item | None:
    page = reverse("pilots:detail", args=[pilot.pk])
    if pilot.status == PilotStatus.APPROVED:
        text = f"{pilot.name} is approved: start it once its checklist is complete."
        return Item(text, "Start the pilot", f"{page}#lifecycle", kind="start")
    if pilot.status == PilotStatus.REVIEWING:
        text = f"{pilot.name} is under review: scale it, adapt it or stop it."
        return Item(text, "Record the decision", f"{page}#decide", kind="decide")
    horizon = horizon_date(pilot)
    if pilot.review_date <= today:
        text = f"{pilot.name} reached its review date on {pilot.review_date:%-d %b %Y}."
    elif horizon and horizon <= today + timedelta(days=NEAR_HORIZON_DAYS):
        when = "reached" if horizon <= today else "reaches"
        text = f"{pilot.name} {when} its patience horizon on {horizon:%-d %b %Y}."
    else:
        return None
    return Item(text, "Begin the review", f"{page}#lifecycle", kind="review")


def _supervisor_alert_items(user, today: date) -> list[Item]:
    alerts = (
        BelowBaselineAlert.objects.filter(pilot__sponsor__user=user, period_end__gte=_since(today))
        .order_by()
        .values("pilot_id", "pilot__name", "person__full_name")
        .annotate(weeks=Count("pk"), latest=Max("period_start"))
        .order_by("-latest", "person__full_name")
    )
    return [
        Item(
            text=(
                f"{a['person__full_name']} was below their frozen baseline for "
                f"{_weeks(a['weeks'])} ({a['pilot__name']}): reassure them that HR reads it."
            ),
            action="See the pilot's baselines",
            url=reverse("pilots:detail", args=[a["pilot_id"]]) + "#baselines",
            kind="supervisor_alert",
        )
        for a in alerts
    ]


# --- portfolio leader -------------------------------------------------------------------------


def approval_items(user) -> list[Item]:
    pilots = drafts_to_approve(user).select_related("sponsor").order_by("name", "pk")
    return [
        Item(
            text=f"{p.name}, sponsored by {p.sponsor.full_name}, waits for approval.",
            action="Review and approve",
            url=reverse("pilots:detail", args=[p.pk]) + "#lifecycle",
            kind="approve",
        )
        for p in pilots
    ]


# --- HR admin ---------------------------------------------------------------------------------


def hr_items(user, today: date) -> list[Item]:
    return _import_items(user, today) + _delivery_items(today)


def _import_items(user, today: date) -> list[Item]:
    """Recent imports refused as a whole (all-or-nothing): their message counts the rows."""
    jobs = (
        ImportJob.objects.visible_to(user)
        .filter(status=ImportStatus.FAILED, created_at__date__gte=_since(today))
        .only("pk", "original_name", "message", "created_at")
    )
    return [
        Item(
            text=f"{job.original_name} was refused: {job.message or 'nothing was written.'}",
            action="See the refused rows",
            url=reverse("metrics:import", args=[job.pk]),
            kind="import",
        )
        for job in jobs
    ]


def _delivery_items(today: date) -> list[Item]:
    """Failed webhook deliveries not since delivered again, per subscription (HR admins
    manage every client's subscriptions: hrapi.views)."""
    failed = (
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.FAILED, created_at__date__gte=_since(today)
        )
        .exclude(redeliveries__status=DeliveryStatus.DELIVERED)
        .order_by()
        .values("subscription_id", "subscription__client__name", "subscription__url")
        .annotate(n=Count("pk", distinct=True))
        .order_by("subscription__client__name", "subscription_id")
    )
    return [
        Item(
            text=(
                f"{row['n']} webhook deliver{'ies' if row['n'] != 1 else 'y'} to "
                f"{row['subscription__client__name']} ({row['subscription__url']}) failed."
            ),
            action="See the deliveries",
            url=reverse("hrapi:webhook", args=[row["subscription_id"]]),
            kind="webhook",
        )
        for row in failed
    ]

"""Reminder services: overdue-cycle reminders for supervisors (one per workgroup per day)
and the sponsors' weekly digest (one per sponsor per week). Rows first, emails after: the
rows are what the app lists, and a row's `emailed_at` is claimed before its one email."""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coaching.cadence import days_since, week_start
from coaching.models import Cycle, Opportunity, Reminder, ReminderKind, Stage
from coaching.selectors import overdue_workgroups
from core.emails import email_send
from pilots.models import Pilot, PilotStatus, Workgroup


def _overdue_message(workgroup: Workgroup, today: date, open_cycles: dict) -> str:
    """What is late, and the one thing to do next with its link: carry on the open cycle,
    or start the next one."""
    since = days_since(workgroup.cadence_from, today)
    what = "the last cycle started" if workgroup.last_cycle_at else "the pilot started"
    cycle = open_cycles.get(workgroup.pk)
    if cycle:
        action = (
            f"Next: carry on cycle {cycle.number}, now at “{cycle.get_stage_display()}”: "
            + _site_url(reverse("coaching:cycle", args=[cycle.pk]))
        )
    else:
        action = "Next: start a cycle: " + _site_url(
            reverse("coaching:cycle_start", args=[workgroup.pk])
        )
    return (
        f"{workgroup.name} ({workgroup.pilot.name}) is due a coaching cycle: {since} days since "
        f"{what}, against a cadence of {workgroup.cadence_days} days.\n\n{action}"
    )


def _site_url(path: str) -> str:
    return settings.REDEFINE_SITE_URL.rstrip("/") + path


def _open_cycles(groups) -> dict[int, Cycle]:
    """The open cycle of each group, newest first (one query)."""
    found = {}
    for cycle in Cycle.objects.open().filter(workgroup__in=groups).order_by("-number"):
        found.setdefault(cycle.workgroup_id, cycle)
    return found


@transaction.atomic
def reminders_raise_overdue(*, today: date | None = None) -> list[int]:
    """File today's reminder for each overdue workgroup's supervisor; return the ids of
    today's reminders not emailed yet. Running it again files nothing new."""
    today = today or timezone.localdate()
    groups = list(overdue_workgroups(today=today).select_related("pilot"))
    open_cycles = _open_cycles(groups)
    Reminder.objects.bulk_create(
        [
            Reminder(
                kind=ReminderKind.OVERDUE,
                recipient_id=group.supervisor_id,
                workgroup=group,
                for_date=today,
                message=_overdue_message(group, today, open_cycles),
            )
            for group in groups
        ],
        ignore_conflicts=True,  # the unique constraint makes a second run a no-op
    )
    return _unsent(ReminderKind.OVERDUE, today)


def _unsent(kind: str, for_date: date) -> list[int]:
    return list(
        Reminder.objects.filter(kind=kind, for_date=for_date, emailed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _digest_lines(today: date) -> dict[int, list[str]]:
    """Per sponsor (person id), one line per running pilot: overdue groups and last week's
    completed cycles and found opportunities. Four queries for the whole organisation."""
    since = timezone.now() - timedelta(days=7)
    pilots = list(Pilot.objects.filter(status=PilotStatus.RUNNING).order_by("name"))
    overdue = defaultdict(list)
    for group in overdue_workgroups(today=today):
        overdue[group.pilot_id].append(group.name)
    completed = defaultdict(int)
    for pilot_id in Cycle.objects.filter(
        workgroup__pilot__in=pilots, stage=Stage.COMPLETED, adaptation_done_at__gte=since
    ).values_list("workgroup__pilot_id", flat=True):
        completed[pilot_id] += 1
    found = defaultdict(int)
    for pilot_id in Opportunity.objects.filter(
        workgroup__pilot__in=pilots, found_at__gte=since
    ).values_list("workgroup__pilot_id", flat=True):
        found[pilot_id] += 1
    lines = defaultdict(list)
    for pilot in pilots:
        late = ", ".join(overdue[pilot.pk]) or "none"
        lines[pilot.sponsor_id].append(
            f"{pilot.name}: {completed[pilot.pk]} cycles completed and {found[pilot.pk]} "
            f"opportunities found this week; overdue groups: {late}."
        )
    return lines


@transaction.atomic
def digests_raise(*, today: date | None = None) -> list[int]:
    """File this week's digest for each sponsor of a running pilot; return the ids not yet
    emailed. Digests have no workgroup, so the week's Monday is the key: the partial unique
    constraint `reminder_digest_once_a_week` backs get_or_create against a concurrent run."""
    today = today or timezone.localdate()
    monday = week_start(today)
    for sponsor_id, lines in _digest_lines(today).items():
        Reminder.objects.get_or_create(
            kind=ReminderKind.DIGEST,
            recipient_id=sponsor_id,
            workgroup=None,
            for_date=monday,
            defaults={"message": "Coaching this week\n\n" + "\n".join(lines)},
        )
    return _unsent(ReminderKind.DIGEST, monday)


SUBJECTS = {
    ReminderKind.OVERDUE: "A coaching cycle is due",
    ReminderKind.DIGEST: "Your weekly coaching digest",
}


@transaction.atomic
def reminder_email(*, reminder_id: int) -> bool:
    """Email one reminder at most once: claim it by setting `emailed_at`, then send. If
    sending fails the claim rolls back with the transaction, so a retry may send it."""
    claimed = Reminder.objects.filter(pk=reminder_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    if not _kind_on(reminder.kind):
        return False  # turned off for the organisation: the reminder stays listed in the app
    return email_send(
        subject=SUBJECTS[reminder.kind], body=reminder.message, to=[reminder.recipient.email]
    )


def _kind_on(kind: str) -> bool:
    from portfolio.models import OrganisationSettings

    org = OrganisationSettings.load()
    return org.email_cycle_reminders if kind == ReminderKind.OVERDUE else org.email_sponsor_digest

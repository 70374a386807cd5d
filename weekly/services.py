"""Writes of weekly splits: record (or correct) a week, and the Friday reminders. Weeks are
keyed by their Monday on the calendar of TIME_ZONE; an entry may be recorded or changed
until the end of the following week (Sunday), and is closed after that."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, NotAllowed, StateConflict
from people.models import Person
from people.permissions import refuse_inactive
from pilots.models import PilotStatus, Workgroup
from weekly.models import SplitReminder, WeeklySplit
from weekly.permissions import can_record

NOTE_MAX = 1000


def week_of(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


def editable_until(week: date) -> date:
    """The last day an entry for `week` may change: the Sunday of the following week."""
    return week + timedelta(days=13)


def is_open(week: date, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return week <= week_of(today) and today <= editable_until(week)


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(message, code="invalid", fields={field: [message]})


def _check_week(week: date, today: date) -> None:
    if week.weekday() != 0:
        raise _invalid(
            "week",
            f"A week is given by its Monday: {week:%d %b %Y} is a {week:%A}; its week "
            f"starts on {week_of(week):%d %b %Y}.",
        )
    if week > week_of(today):
        raise _invalid("week", "That week has not started yet.")
    if today > editable_until(week):
        raise StateConflict(
            f"The week of {week:%d %b %Y} is closed: a week can be recorded or changed until "
            f"the end of the following week ({editable_until(week):%a %d %b %Y}).",
            code="week_closed",
        )


def _check_values(strategic_percent, note: str) -> None:
    if isinstance(strategic_percent, bool) or not isinstance(strategic_percent, int):
        raise _invalid("strategic_percent", "A whole number from 0 to 100.")
    if not 0 <= strategic_percent <= 100:
        raise _invalid("strategic_percent", "A whole number from 0 to 100.")
    if len(note) > NOTE_MAX:
        raise _invalid("note", f"At most {NOTE_MAX} characters.")
    if "\x00" in note:
        raise _invalid("note", "The note contains a NUL character.")


@transaction.atomic
def split_record(
    *,
    person: Person,
    week: date,
    strategic_percent: int,
    by,
    note: str = "",
    today: date | None = None,
) -> tuple[WeeklySplit, bool]:
    """Record the person's split for the week, or change it while the week is open.
    Returns the entry and whether it was new. One entry per person and week (a constraint)."""
    today = today or timezone.localdate()
    refuse_inactive(by)
    if not can_record(by, person):
        raise NotAllowed("Supervisors record their own week, in their own session.")
    note = (note or "").strip()
    _check_values(strategic_percent, note)
    _check_week(week, today)
    values = {"strategic_percent": strategic_percent, "note": note, "recorded_by": by}
    entry = WeeklySplit.objects.select_for_update().filter(person=person, week=week).first()
    if entry is None:
        try:
            with transaction.atomic():
                return WeeklySplit.objects.create(person=person, week=week, **values), True
        except IntegrityError:  # the same week recorded at the same moment elsewhere
            entry = WeeklySplit.objects.select_for_update().get(person=person, week=week)
    for key, value in values.items():
        setattr(entry, key, value)
    entry.save(update_fields=[*values, "updated_at"])
    return entry, False


def supervisors_due(week: date):
    """Active supervisors of running pilots with an e-mail and no entry for the week yet."""
    running = Workgroup.objects.filter(pilot__status=PilotStatus.RUNNING).values("supervisor_id")
    recorded = WeeklySplit.objects.filter(week=week).values("person_id")
    return (
        Person.objects.filter(pk__in=running, active=True)
        .exclude(email="")
        .exclude(pk__in=recorded)
        .order_by("pk")
    )


@transaction.atomic
def reminders_raise(*, today: date | None = None) -> list[int]:
    """File this week's reminder for each supervisor who has not recorded it; return the ids
    not e-mailed yet. The unique (person, week) constraint makes a second run file nothing."""
    week = week_of(today or timezone.localdate())
    SplitReminder.objects.bulk_create(
        [SplitReminder(person=person, week=week) for person in supervisors_due(week)],
        ignore_conflicts=True,
    )
    pending = SplitReminder.objects.filter(week=week, emailed_at__isnull=True).order_by("pk")
    return list(pending.values_list("pk", flat=True))


def _message(reminder: SplitReminder) -> str:
    url = settings.REDEFINE_SITE_URL.rstrip("/") + reverse("weekly:mine")
    return (
        f"How did your week of {reminder.week:%d %b %Y} split between strategic work "
        "(coaching, finding and solving problems no one had seen) and detail work (executing "
        f"tasks)?\n\nOne tap records it: {url}\n\nYou can change it until "
        f"{editable_until(reminder.week):%A %d %b %Y}."
    )


@transaction.atomic
def reminder_email(*, reminder_id: int) -> bool:
    """E-mail one reminder at most once: claim it, skip it when the week was recorded in the
    meantime, then send. A failed send rolls the claim back, so a retry may send it."""
    claimed = SplitReminder.objects.filter(pk=reminder_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    reminder = SplitReminder.objects.select_related("person").get(pk=reminder_id)
    done = WeeklySplit.objects.filter(person=reminder.person, week=reminder.week).exists()
    if done or not reminder.person.email or not reminder.person.active:
        return False
    send_mail(
        subject="Your week: strategy or detail?",
        message=_message(reminder),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[reminder.person.email],
    )
    return True

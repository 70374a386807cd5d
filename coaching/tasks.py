"""Celery tasks of coaching: the daily overdue sweep, the weekly digest, and one email each.
Tasks take ids and call one service; a second run of any of them sends nothing twice."""

from celery import shared_task

from coaching import reminders
from core.outbox import enqueue
from core.tasks import EMAIL_RETRY, TASK_OPTIONS


@shared_task(acks_late=True)
def raise_overdue_reminders() -> int:
    """File today's overdue reminders and queue one email per reminder not yet emailed."""
    pending = reminders.reminders_raise_overdue()
    for reminder_id in pending:
        enqueue("coaching.tasks.email_reminder", reminder_id=reminder_id)
    return len(pending)


@shared_task(acks_late=True)
def raise_sponsor_digests() -> int:
    pending = reminders.digests_raise()
    for reminder_id in pending:
        enqueue("coaching.tasks.email_reminder", reminder_id=reminder_id)
    return len(pending)


@shared_task(**TASK_OPTIONS, **EMAIL_RETRY)
def email_reminder(reminder_id: int) -> bool:
    return reminders.reminder_email(reminder_id=reminder_id)

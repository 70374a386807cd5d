"""Celery tasks of the weekly split: the Friday sweep and one e-mail per reminder."""

from smtplib import SMTPException

from celery import shared_task

from core.outbox import enqueue
from weekly import services

# Mail servers fail transiently; a bug in our code should fail loudly, not retry.
TRANSIENT = (SMTPException, ConnectionError, TimeoutError)


@shared_task(acks_late=True)
def raise_split_reminders() -> int:
    """File this week's reminders and queue one e-mail per reminder not yet e-mailed."""
    pending = services.reminders_raise()
    for reminder_id in pending:
        enqueue("weekly.tasks.email_split_reminder", reminder_id=reminder_id)
    return len(pending)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def email_split_reminder(reminder_id: int) -> bool:
    return services.reminder_email(reminder_id=reminder_id)

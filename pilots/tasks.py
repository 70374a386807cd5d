"""Celery tasks of pilots: one e-mail each, taking ids and calling one service."""

from smtplib import SMTPException

from celery import shared_task

from pilots import workgroups

# Mail servers fail transiently; a bug in our code should fail loudly, not retry.
TRANSIENT = (SMTPException, ConnectionError, TimeoutError)


@shared_task(
    acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, retry_jitter=True, max_retries=5
)
def email_charter_request(workgroup_id: int) -> bool:
    return workgroups.charter_request_email(workgroup_id=workgroup_id)

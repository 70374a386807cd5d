"""Celery tasks of the evidence app: effect snapshots for the portfolio, and the follow-up
e-mails. Tasks take ids and call one service; running one twice does no harm."""

from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError

from core.outbox import enqueue
from evidence import followups, services
from evidence.models import ComparisonSet

# Mail servers and databases fail transiently; a bug in our code should fail loudly.
TRANSIENT = (SMTPException, ConnectionError, TimeoutError, OperationalError)
RETRY = {
    "acks_late": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def refresh_pilot_effect(pilot_id: int) -> int:
    return services.effect_snapshot_refresh(pilot_id=pilot_id)


@shared_task(**RETRY)
def refresh_effects() -> int:
    """Queue a snapshot refresh for every pilot with a frozen comparison set."""
    pilot_ids = ComparisonSet.objects.values_list("pilot_id", flat=True).distinct()
    for pilot_id in pilot_ids.order_by("pilot_id"):
        enqueue("evidence.tasks.refresh_pilot_effect", pilot_id=pilot_id)
    return len(pilot_ids)


@shared_task(**RETRY)
def send_due_followups() -> int:
    """Invite everyone of each wave that is due and queue one e-mail per invitation."""
    invitation_ids = followups.waves_send_due()
    for invitation_id in invitation_ids:
        enqueue("evidence.tasks.email_followup_invitation", invitation_id=invitation_id)
    return len(invitation_ids)


@shared_task(**RETRY)
def email_followup_invitation(invitation_id: int) -> bool:
    return followups.invitation_email(invitation_id=invitation_id)

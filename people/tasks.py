"""Celery tasks of people: the invitation e-mail, taking an id and calling one service."""

from celery import shared_task

from core.tasks import EMAIL_RETRY, TASK_OPTIONS
from people import services


@shared_task(**TASK_OPTIONS, **EMAIL_RETRY)
def email_invitation(invitation_id: int) -> bool:
    return services.invitation_email(invitation_id=invitation_id)

"""Queue background work safely: record the intent in the database, publish after commit."""

import logging

from celery import current_app
from django.db import transaction
from django.utils import timezone

from core.models import OutboxTask

logger = logging.getLogger(__name__)


def enqueue(task_name: str, **kwargs) -> OutboxTask:
    """Record that `task_name(**kwargs)` must run, and publish it once the transaction commits.

    Tasks take ids, never request bodies, and must be idempotent: the sweep may publish a task
    whose first send reached the broker but whose `sent_at` was not recorded.
    """
    intent = OutboxTask.objects.create(task_name=task_name, kwargs=kwargs)
    transaction.on_commit(lambda: publish(intent.pk))
    return intent


def publish(intent_id) -> bool:
    """Send one recorded task to the broker. False when the broker could not be reached."""
    intent = OutboxTask.objects.filter(pk=intent_id, sent_at__isnull=True).first()
    if intent is None:
        return True
    OutboxTask.objects.filter(pk=intent.pk).update(publish_attempts=intent.publish_attempts + 1)
    task = current_app.tasks[intent.task_name]
    if broker_is_inline():
        # The embedded default runs the task here and now; its errors surface to the caller.
        OutboxTask.objects.filter(pk=intent.pk).update(sent_at=timezone.now())
        task.apply(kwargs=intent.kwargs, task_id=str(intent.pk), throw=True)
        return True
    try:
        task.apply_async(kwargs=intent.kwargs, task_id=str(intent.pk))
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the intent for the sweep
        logger.warning("Could not publish %s, the outbox sweep will retry: %s", intent, exc)
        OutboxTask.objects.filter(pk=intent.pk).update(last_error=str(exc)[:2000])
        return False
    OutboxTask.objects.filter(pk=intent.pk).update(sent_at=timezone.now(), last_error="")
    return True


def broker_is_inline() -> bool:
    return bool(current_app.conf.task_always_eager)

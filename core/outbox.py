"""Queue background work safely: record the intent in the database, publish after commit.

A broker outage never fails a write: the intent is stored in the caller's transaction, the
publish after commit gives up within `CELERY_BROKER_CONNECTION_TIMEOUT`, the person is told
the background part will follow (`DeferredWorkMiddleware`), and `core.tasks.outbox_sweep`
publishes it when the broker is back. Tasks are idempotent, so a repeat publish is harmless.
"""

import logging
from contextvars import ContextVar

from celery import current_app
from django.contrib import messages
from django.db import transaction
from django.utils import timezone

from core.models import OutboxTask

logger = logging.getLogger(__name__)

DEFERRED_HEADER = "X-Background-Deferred"
DEFERRED_MESSAGE = (
    "Saved. The background part (notifications and recalculations) is queued and will "
    "follow automatically once the task queue is reachable again."
)

# Intents whose publish failed during the current request (None outside a request).
_deferred_in_request: ContextVar[list | None] = ContextVar("outbox_deferred", default=None)


def enqueue(task_name: str, **kwargs) -> OutboxTask:
    """Record that `task_name(**kwargs)` must run, and publish it once the transaction commits.

    Tasks take ids, never request bodies, and must be idempotent: the sweep may publish a task
    whose first send reached the broker but whose `sent_at` was not recorded.
    """
    if task_name not in current_app.tasks:
        raise LookupError(f"No Celery task named {task_name!r} is registered.")
    intent = OutboxTask.objects.create(task_name=task_name, kwargs=kwargs)
    transaction.on_commit(lambda: publish(intent.pk))
    return intent


def publish(intent_id) -> bool:
    """Send one recorded task to the broker. False when the broker could not be reached."""
    if broker_is_inline():
        return _run_inline(intent_id)
    # The row lock keeps two sweeps (or a sweep and a late on_commit) from both sending it.
    with transaction.atomic():
        intent = (
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(pk=intent_id, sent_at__isnull=True)
            .first()
        )
        if intent is None:
            return True
        try:
            if _deferred_in_request.get():
                # One failed publish in this request is enough to know the broker is down:
                # leave the rest for the sweep instead of waiting out a timeout for each.
                raise ConnectionError("the broker was unreachable earlier in this request")
            _send(intent)
        except Exception as exc:  # noqa: BLE001 - any broker failure leaves it for the sweep
            logger.warning("Could not publish %s, the outbox sweep will retry: %s", intent, exc)
            _record_failure(intent, exc)
            return False
        OutboxTask.objects.filter(pk=intent.pk).update(
            sent_at=timezone.now(), last_error="", publish_attempts=intent.publish_attempts + 1
        )
    return True


def _send(intent: OutboxTask) -> None:
    # A fresh connection per publish: bounded by broker_connection_timeout and the transport's
    # socket_connect_timeout, and it always follows the configured broker URL.
    with current_app.connection_for_write() as connection:
        current_app.tasks[intent.task_name].apply_async(
            kwargs=intent.kwargs, task_id=str(intent.pk), connection=connection, retry=False
        )


def _record_failure(intent: OutboxTask, exc: Exception) -> None:
    OutboxTask.objects.filter(pk=intent.pk).update(
        last_error=str(exc)[:2000], publish_attempts=intent.publish_attempts + 1
    )
    deferred = _deferred_in_request.get()
    if deferred is not None:
        deferred.append(intent.pk)


def _run_inline(intent_id) -> bool:
    """The embedded default runs the task here and now; its errors surface to the caller."""
    intent = OutboxTask.objects.filter(pk=intent_id, sent_at__isnull=True).first()
    if intent is None:
        return True
    OutboxTask.objects.filter(pk=intent.pk).update(
        sent_at=timezone.now(), publish_attempts=intent.publish_attempts + 1
    )
    task = current_app.tasks[intent.task_name]
    task.apply(kwargs=intent.kwargs, task_id=str(intent.pk), throw=True)
    return True


def broker_is_inline() -> bool:
    return bool(current_app.conf.task_always_eager)


class DeferredWorkMiddleware:
    """Tells the person when their change was saved but its background part had to wait:
    a message on the next page for the web, a header for the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _deferred_in_request.set([])
        try:
            response = self.get_response(request)
            deferred = _deferred_in_request.get()
        finally:
            _deferred_in_request.reset(token)
        if deferred:
            response[DEFERRED_HEADER] = str(len(deferred))
            if not request.path.startswith("/api/"):
                messages.info(request, DEFERRED_MESSAGE, fail_silently=True)
        return response

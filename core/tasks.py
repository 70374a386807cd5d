"""Periodic housekeeping for the task outbox, the heartbeat of beat and the worker, the worker
health probe, and a slow diagnostic task that proves a killed worker's task still runs once."""

import os
import time
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from celery.signals import before_task_publish
from django.db.models import F
from django.utils import timezone

from core import health
from core.models import OutboxTask, ProbeRun
from core.outbox import publish

# Every task in Redefine is declared like this: late acknowledgement so a crash mid-task
# redelivers it. Retries are not promised here: Celery retries only what `autoretry_for`
# names, so a task that can meet transient errors adds EMAIL_RETRY (or its own list).
TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
}
# Mail servers fail transiently (connection refused, timeouts, 4xx answers); a bug in our
# code should fail loudly instead. Backoff 1, 2, 4, 8, 16 s (plus jitter), then give up.
EMAIL_RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**TASK_OPTIONS)
def outbox_sweep(older_than_seconds: int = 30, limit: int = 500) -> int:
    """Publish the tasks that could not be sent at commit time (broker down). Returns how many."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending = OutboxTask.objects.unsent().filter(created_at__lt=cutoff).order_by("created_at")
    sent = 0
    for intent_id in pending.values_list("pk", flat=True)[:limit]:
        if not publish(intent_id):
            break  # the broker is still down; the next sweep tries again
        sent += 1
    return sent


before_task_publish.connect(health._scheduled_heartbeat_published)


@shared_task(acks_late=True, ignore_result=True, expires=60)
def heartbeat() -> None:
    """Sent by beat every 30 s (the send is beat's heartbeat); running it is the worker's.
    No retries: the next one is 30 s away, and an old one is worthless (`expires`)."""
    health.heartbeat_record("worker")


@shared_task(**TASK_OPTIONS)
def health_probe(key: str) -> None:
    """Proves a worker is consuming: touches the database and leaves a mark in the cache."""
    from django.core.cache import cache

    cache.set(
        f"health-probe:{key}", {"pid": os.getpid(), "outbox": OutboxTask.objects.count()}, 300
    )


@shared_task(**TASK_OPTIONS, time_limit=120, soft_time_limit=110)
def slow_probe(run_id: int, seconds: float = 0) -> None:
    """Diagnostic: claims its ProbeRun, works for `seconds`, then records completion once.
    A redelivery after a crash starts again; a delivery after completion does nothing."""
    claimed = ProbeRun.objects.filter(pk=run_id, completed_at__isnull=True).update(
        attempts=F("attempts") + 1, worker_pid=os.getpid()
    )
    if not claimed:
        return
    time.sleep(seconds)
    ProbeRun.objects.filter(pk=run_id, completed_at__isnull=True).update(
        completed_at=timezone.now(), completions=F("completions") + 1
    )

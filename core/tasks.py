"""Periodic housekeeping for the task outbox."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from core.models import OutboxTask
from core.outbox import publish


@shared_task(acks_late=True)
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


@shared_task(acks_late=True)
def health_probe(key: str) -> None:
    """Proves a worker is consuming: touches the database and leaves a mark in the cache."""
    import os

    from django.core.cache import cache

    cache.set(
        f"health-probe:{key}", {"pid": os.getpid(), "outbox": OutboxTask.objects.count()}, 300
    )

"""Webhook tasks: post one delivery; re-queue the deliveries whose next attempt is due."""

import urllib.error

from celery import shared_task

from core.outbox import enqueue
from core.tasks import TASK_OPTIONS
from hrapi import webhooks
from hrapi.models import DeliveryStatus, WebhookDelivery


@shared_task(**TASK_OPTIONS)
def webhook_deliver(delivery_id: int) -> str:
    """One attempt. A failure is recorded with its backoff and retried by the sweep below,
    so a receiver being down never fails the request that published the event."""
    delivery = webhooks.claim(delivery_id)
    if delivery is None:
        return "skipped"
    subscription = delivery.subscription
    if not subscription.active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, last_error="Subscription inactive.", claimed_at=None
        )
        return "inactive"
    try:
        status = webhooks.post(
            subscription.url, subscription.secret, delivery.pk, delivery.event, delivery.payload
        )
    except urllib.error.HTTPError as exc:
        webhooks.record_failure(delivery, f"HTTP {exc.code}: {exc.reason}", exc.code)
        return "failed"
    except (OSError, ValueError) as exc:  # refused, timed out, DNS, bad URL
        webhooks.record_failure(delivery, f"{exc.__class__.__name__}: {exc}", None)
        return "failed"
    webhooks.record_success(delivery, status)
    return "delivered"


@shared_task(**TASK_OPTIONS)
def webhook_retry_due() -> int:
    """Queue another attempt for every delivery whose backoff has passed."""
    queued = 0
    for delivery_id in webhooks.due_deliveries():
        # Clearing next_attempt_at marks it queued, so the next sweep does not queue it again.
        if webhooks.take_due(delivery_id):
            enqueue("hrapi.tasks.webhook_deliver", delivery_id=delivery_id)
            queued += 1
    return queued

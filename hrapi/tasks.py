"""Webhook tasks: post one delivery; re-queue the deliveries whose next attempt is due."""

from celery import shared_task

from core.outbox import enqueue
from core.tasks import TASK_OPTIONS
from hrapi import destinations, webhooks
from hrapi.models import DeliveryOutcome, DeliveryStatus, WebhookDelivery


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
        outcome = webhooks.post(subscription.url, subscription.signing_secret, delivery)
    except destinations.DestinationRefused as exc:
        # Not transient: the address is one Redefine never posts to. No retries.
        webhooks.record_failure(delivery, DeliveryOutcome.REFUSED, exc.message, final=True)
        return "refused"
    if outcome == DeliveryOutcome.SUCCESS:
        webhooks.record_success(delivery)
        return "delivered"
    error = webhooks.NETWORK_ERROR if outcome == DeliveryOutcome.NETWORK_ERROR else ""
    webhooks.record_failure(delivery, outcome, error or f"The receiver answered {outcome}.")
    return "failed"


@shared_task(**TASK_OPTIONS)
def webhook_retry_due() -> int:
    """Queue an attempt for every delivery whose time has come: retries after their backoff,
    and on the embedded default (no broker) every new delivery."""
    queued = 0
    for delivery_id in webhooks.due_deliveries():
        # Clearing next_attempt_at marks it queued, so the next sweep does not queue it again.
        if webhooks.take_due(delivery_id):
            enqueue("hrapi.tasks.webhook_deliver", delivery_id=delivery_id)
            queued += 1
    return queued

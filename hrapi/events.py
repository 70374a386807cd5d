"""Domain events that HR systems can subscribe to through webhooks."""

from django.utils import timezone

PILOT_STARTED = "pilot.started"
PILOT_ENDED = "pilot.ended"
BASELINE_FROZEN = "baseline.frozen"
BASELINE_REBASELINED = "baseline.rebaselined"
EVENTS = [PILOT_STARTED, PILOT_ENDED, BASELINE_FROZEN, BASELINE_REBASELINED]


def publish_event(event: str, **ids) -> None:
    """Record `event` about the objects named by `ids` (primary keys) for webhook delivery,
    inside the caller's transaction: one delivery per matching subscription, each posted by
    a task queued through the outbox after commit (nothing is sent if the caller rolls back)."""
    from core.outbox import enqueue
    from hrapi.models import WebhookDelivery, WebhookSubscription

    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}; known: {', '.join(EVENTS)}.")
    payload = {"event": event, "occurred_at": timezone.now().isoformat(), "data": ids}
    for subscription in WebhookSubscription.objects.for_event(event):
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event=event, payload=payload
        )
        enqueue("hrapi.tasks.webhook_deliver", delivery_id=delivery.pk)

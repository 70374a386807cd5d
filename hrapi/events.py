"""Domain events that HR systems can subscribe to through webhooks, and what each carries: the
resource as the API returns it (the pilot as `/api/v1/pilots/{id}/`, the frozen baselines as
`/api/v1/baselines/`), taken inside the transaction that made the change."""

import json

from django.utils import timezone
from rest_framework.renderers import JSONRenderer

PILOT_STARTED = "pilot.started"
PILOT_ENDED = "pilot.ended"
BASELINE_FROZEN = "baseline.frozen"
BASELINE_REBASELINED = "baseline.rebaselined"
EVENTS = [PILOT_STARTED, PILOT_ENDED, BASELINE_FROZEN, BASELINE_REBASELINED]


def _as_api_json(data) -> dict:
    # The API's own renderer, so decimals, dates and nesting match a GET byte for byte.
    return json.loads(JSONRenderer().render(data))


def _pilot(pilot_id: int, **_) -> dict:
    from pilots.models import Pilot
    from pilots.serializers import PilotSerializer

    return _as_api_json(PilotSerializer(Pilot.objects.for_page().get(pk=pilot_id)).data)


def _baselines(pilot_id: int, baseline_id: int | None = None) -> dict:
    from metrics.models import Baseline
    from metrics.serializers import BaselineSerializer

    rows = Baseline.objects.filter(pilot_id=pilot_id).select_related("person", "metric")
    rows = rows.filter(pk=baseline_id) if baseline_id else rows
    serialized = BaselineSerializer(rows.order_by("id"), many=True).data
    return {"pilot": pilot_id, "baselines": _as_api_json(serialized)}


RESOURCES = {
    PILOT_STARTED: _pilot,
    PILOT_ENDED: _pilot,
    BASELINE_FROZEN: _baselines,
    BASELINE_REBASELINED: _baselines,
}


def publish_event(event: str, **ids) -> None:
    """Record `event` about the objects named by `ids` (primary keys) for webhook delivery,
    inside the caller's transaction: one delivery per matching subscription, posted after
    commit by a worker, never by the request (nothing is sent if the caller rolls back)."""
    from hrapi.models import WebhookEvent, WebhookSubscription
    from hrapi.services import webhook_delivery_queue

    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}; known: {', '.join(EVENTS)}.")
    subscriptions = WebhookSubscription.objects.for_event(event)
    if not subscriptions:
        return  # nobody listens: the resource is not even read
    happened = WebhookEvent.objects.create(
        event=event, occurred_at=timezone.now(), data=RESOURCES[event](**ids)
    )
    for subscription in subscriptions:
        webhook_delivery_queue(subscription=subscription, webhook_event=happened)

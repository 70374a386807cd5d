"""Webhooks: signed deliveries after commit, never inside the request, retries with backoff,
redeliveries, and a log that keeps only the class of each answer."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from hrapi.events import BASELINE_FROZEN, PILOT_STARTED, publish_event
from hrapi.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from hrapi.services import api_client_revoke, webhook_delivery_redeliver
from hrapi.tasks import webhook_deliver, webhook_retry_due
from hrapi.webhooks import MAX_ATTEMPTS
from pilots.models import Pilot
from tests.hrapi.receiver import Receiver
from tests.portfolio.conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(alice, carol):
    pilot = make_pilot(alice, name="Claims without waiting")
    make_workgroup(pilot, carol, name="Front office")
    return pilot


def test_an_event_is_posted_after_commit_with_a_valid_signature_and_ids(
    subscribed, receiver, pilot, deliver_due, django_capture_on_commit_callbacks
):
    subscription, secret = subscribed
    with django_capture_on_commit_callbacks(execute=True):
        publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    assert receiver.requests == []  # the request that published it never posts
    assert deliver_due() == 1
    headers, body = receiver.requests[0]
    timestamp = headers["X-Redefine-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert headers["X-Redefine-Signature"] == f"sha256={expected.hexdigest()}"
    payload = json.loads(body)
    delivery, event = WebhookDelivery.objects.get(), WebhookEvent.objects.get()
    assert payload["event"] == PILOT_STARTED and payload["event_id"] == str(event.id)
    assert payload["delivery_id"] == delivery.pk == int(headers["X-Redefine-Delivery"])
    assert headers["X-Redefine-Event-Id"] == str(event.id)
    assert (delivery.status, delivery.attempts, delivery.outcome) == ("delivered", 1, "2xx")


def test_the_payload_is_the_pilot_as_the_api_returns_it(
    subscribed, receiver, pilot, deliver_due, api, alice
):
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    deliver_due()
    data = json.loads(receiver.requests[0][1])["data"]
    api.force_login(alice)
    assert data == api.get(f"/api/v1/pilots/{pilot.pk}/").json()
    assert data["workgroups"][0]["supervisor"] == "P-CAROL"


def test_the_payload_is_taken_when_the_event_happens_not_when_it_is_posted(
    subscribed, receiver, pilot, deliver_due
):
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    Pilot.objects.filter(pk=pilot.pk).update(name="Renamed later")
    deliver_due()
    assert json.loads(receiver.requests[0][1])["data"]["name"] == "Claims without waiting"


def test_a_rolled_back_transaction_sends_nothing(subscribed, receiver, pilot, deliver_due):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_event(PILOT_STARTED, pilot_id=pilot.pk)
        raise RuntimeError("the pilot start failed")
    assert deliver_due() == 0
    assert not WebhookDelivery.objects.exists() and receiver.requests == []


def test_only_subscribed_events_of_active_subscriptions_of_live_clients_are_delivered(
    subscribed, receiver, pilot
):
    subscription, _ = subscribed
    publish_event(BASELINE_FROZEN, pilot_id=pilot.pk)
    assert not WebhookDelivery.objects.exists() and not WebhookEvent.objects.exists()
    api_client_revoke(client=subscription.client)
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    assert not WebhookDelivery.objects.exists()


def test_an_unknown_event_name_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown event"):
        publish_event("pilot.exploded", pilot_id=1)


def test_a_failing_receiver_is_retried_with_backoff_then_given_up(
    subscribed, receiver, pilot, deliver_due
):
    receiver.status = 500
    receiver.body = b"Traceback: secret internal detail"
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.outcome) == ("pending", 1, "5xx")
    assert "internal detail" not in delivery.last_error
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait <= timedelta(minutes=1)
    assert webhook_retry_due() == 0  # not due yet
    for attempt in range(2, MAX_ATTEMPTS + 1):
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        assert deliver_due() == 1
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert len(receiver.requests) == MAX_ATTEMPTS


def test_a_delivered_event_is_not_sent_twice(subscribed, receiver, pilot, deliver_due):
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    deliver_due()
    assert webhook_deliver(WebhookDelivery.objects.get().pk) == "skipped"
    assert deliver_due() == 0
    assert len(receiver.requests) == 1


def test_a_refused_connection_is_a_network_error_in_the_log(
    subscribed, receiver, pilot, deliver_due
):
    receiver.close()
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.outcome, delivery.status) == ("network_error", "pending")
    assert "No valid HTTP answer" in delivery.last_error


def test_redirects_are_not_followed(subscribed, pilot, deliver_due):
    subscription, _ = subscribed
    target = Receiver()
    redirecting = Receiver(status=302, redirect_to=target.url)
    try:
        subscription.url = redirecting.url
        subscription.save(update_fields=["url"])
        publish_event(PILOT_STARTED, pilot_id=pilot.pk)
        deliver_due()
        assert target.requests == [] and len(redirecting.requests) == 1
        assert WebhookDelivery.objects.get().outcome == "3xx"
    finally:
        target.close()
        redirecting.close()


def test_a_redelivery_is_a_new_delivery_of_the_same_event(subscribed, receiver, pilot, deliver_due):
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    deliver_due()
    first = WebhookDelivery.objects.get()
    again = webhook_delivery_redeliver(delivery=first)
    deliver_due()
    (_, body1), (headers2, body2) = receiver.requests
    one, two = json.loads(body1), json.loads(body2)
    assert one["event_id"] == two["event_id"] and one["data"] == two["data"]
    assert two["delivery_id"] == again.pk != first.pk and two["redelivery"] is True
    assert headers2["X-Redefine-Delivery"] == str(again.pk)
    again.refresh_from_db()
    assert (again.status, again.redelivery_of) == ("delivered", first)


@pytest.fixture
def real_broker():
    """A broker with no worker attached (kombu's in-memory transport): what is published
    waits for a worker, as it would in production."""
    from config.celery import app

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "memory://", False
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved


def test_with_a_broker_the_delivery_is_queued_after_commit_for_a_worker(
    subscribed, receiver, pilot, real_broker, django_capture_on_commit_callbacks
):
    from core.models import OutboxTask

    with django_capture_on_commit_callbacks(execute=True):
        publish_event(PILOT_STARTED, pilot_id=pilot.pk)
        assert not OutboxTask.objects.filter(sent_at__isnull=False).exists()
    intent = OutboxTask.objects.get(task_name="hrapi.tasks.webhook_deliver")
    assert intent.sent_at is not None  # handed to the broker once committed...
    assert receiver.requests == []  # ...and nothing was posted by the publishing request
    delivery = WebhookDelivery.objects.get()
    assert delivery.next_attempt_at is None  # the sweep leaves it to the queued task
    assert webhook_deliver(**intent.kwargs) == "delivered"  # what the worker runs
    assert len(receiver.requests) == 1


def test_baseline_events_carry_the_rows_as_the_baselines_api_returns_them(
    receiver, pilot, carol, deliver_due, client_with_scopes
):
    import datetime as dt

    from hrapi.events import BASELINE_REBASELINED
    from hrapi.services import api_client_create, webhook_subscription_create
    from metrics.models import Baseline
    from tests.portfolio.conftest import metric

    client, _ = api_client_create(name="hris", scopes=["metrics:read"])
    events = [BASELINE_FROZEN, BASELINE_REBASELINED]
    webhook_subscription_create(client=client, url=receiver.url, events=events)
    cases = metric("cases", "cases", "performance")
    first = Baseline.objects.create(
        pilot=pilot, person=carol.person, metric=cases, value=10, observation_count=3,
        window_start=dt.date(2026, 3, 9), window_end=dt.date(2026, 5, 31),
        frozen_at=timezone.now(),
    )  # fmt: skip
    publish_event(BASELINE_FROZEN, pilot_id=pilot.pk)
    second = Baseline.objects.create(
        pilot=pilot, person=carol.person, metric=cases, value=12, observation_count=4,
        window_start=dt.date(2026, 3, 9), window_end=dt.date(2026, 5, 31),
        frozen_at=timezone.now(), version=2, reason="Data were late",
    )  # fmt: skip
    publish_event(BASELINE_REBASELINED, pilot_id=pilot.pk, baseline_id=second.pk)
    deliver_due()
    frozen, rebaselined = (json.loads(body)["data"] for _, body in receiver.requests)
    api_rows = client_with_scopes("metrics:read").get("/api/v1/baselines/").json()["results"]
    by_id = {row["id"]: row for row in api_rows}
    assert frozen == {"pilot": pilot.pk, "baselines": [by_id[first.pk]]}
    assert rebaselined == {"pilot": pilot.pk, "baselines": [by_id[second.pk]]}

"""Webhooks: signed deliveries after commit, retries with backoff, only to configured URLs."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hrapi.events import BASELINE_FROZEN, PILOT_STARTED, publish_event
from hrapi.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from hrapi.services import api_client_create, api_client_revoke
from hrapi.tasks import webhook_deliver, webhook_retry_due
from hrapi.webhooks import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server on 127.0.0.1 that records what it is sent and answers `status`."""

    def __init__(self, status=204, redirect_to=None):
        self.requests, self.status, self.redirect_to = [], status, redirect_to
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                if receiver.redirect_to:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def subscription(receiver):
    client, _ = api_client_create(name="payroll", scopes=["metrics:read"])
    return WebhookSubscription.objects.create(
        client=client, url=receiver.url, events=[PILOT_STARTED], secret="s3cret"
    )


def test_an_event_is_posted_after_commit_with_a_valid_signature(
    subscription, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_event(PILOT_STARTED, pilot_id=7)
        assert receiver.requests == []  # nothing leaves before the commit
    headers, body = receiver.requests[0]
    timestamp = headers["X-Redefine-Timestamp"]
    expected = hmac.new(b"s3cret", f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert headers["X-Redefine-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["event"] == PILOT_STARTED and payload["data"] == {"pilot_id": 7}
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 204)


def test_a_rolled_back_transaction_sends_nothing(subscription, receiver):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_event(PILOT_STARTED, pilot_id=7)
        raise RuntimeError("the pilot start failed")
    assert not WebhookDelivery.objects.exists() and receiver.requests == []


def test_only_subscribed_events_of_active_subscriptions_of_live_clients_are_delivered(
    subscription, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_event(BASELINE_FROZEN, baseline_id=1)
    assert not WebhookDelivery.objects.exists()
    api_client_revoke(client=subscription.client)
    with django_capture_on_commit_callbacks(execute=True):
        publish_event(PILOT_STARTED, pilot_id=1)
    assert not WebhookDelivery.objects.exists()


def test_an_unknown_event_name_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown event"):
        publish_event("pilot.exploded", pilot_id=1)


def test_a_failing_receiver_is_retried_with_backoff_then_given_up(
    subscription, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        publish_event(PILOT_STARTED, pilot_id=7)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "HTTP 500" in delivery.last_error
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait <= timedelta(minutes=1)
    assert webhook_retry_due() == 0  # not due yet
    for attempt in range(2, MAX_ATTEMPTS + 1):
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            assert webhook_retry_due() == 1
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert len(receiver.requests) == MAX_ATTEMPTS


def test_a_delivered_event_is_not_sent_twice(
    subscription, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_event(PILOT_STARTED, pilot_id=7)
    assert webhook_deliver(WebhookDelivery.objects.get().pk) == "skipped"
    assert len(receiver.requests) == 1


def test_a_refused_connection_is_logged_as_the_last_error(subscription, receiver):
    receiver.close()
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event=PILOT_STARTED, payload={}
    )
    assert webhook_deliver(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert "Connection" in delivery.last_error or "Errno" in delivery.last_error


def test_redirects_are_not_followed(subscription):
    target = Receiver()
    redirecting = Receiver(status=302, redirect_to=target.url)
    try:
        WebhookSubscription.objects.filter(pk=subscription.pk).update(url=redirecting.url)
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event=PILOT_STARTED, payload={}
        )
        assert webhook_deliver(delivery.pk) == "failed"
        assert target.requests == []
    finally:
        target.close()
        redirecting.close()


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "gopher://x"])
def test_only_http_urls_may_be_configured(url):
    client, _ = api_client_create(name="payroll", scopes=["metrics:read"])
    subscription = WebhookSubscription(client=client, url=url, events=[PILOT_STARTED], secret="s")
    with pytest.raises(ValidationError):
        subscription.full_clean()


def test_the_admin_shows_the_signing_secret_once(client, hilda):
    hilda.is_superuser = True
    hilda.save()
    api_client, _ = api_client_create(name="payroll", scopes=["metrics:read"])
    client.force_login(hilda)
    response = client.post(
        "/admin/hrapi/webhooksubscription/add/",
        {
            "client": api_client.pk,
            "url": "https://hr.example.org/hook",
            "events": [PILOT_STARTED],
            "active": "on",
        },
        follow=True,
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    secret = WebhookSubscription.objects.get().secret
    assert secret.startswith("whsec_") and secret in shown
    assert client.get("/admin/hrapi/webhookdelivery/").status_code == 200

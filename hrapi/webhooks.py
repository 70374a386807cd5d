"""Signing and posting one webhook delivery, and when to try again after a failure.

Receivers verify `X-Redefine-Signature: sha256=<hex>`, the HMAC-SHA256 with the
subscription's secret of "<X-Redefine-Timestamp>.<raw body>", and reject old timestamps.

The POST goes out through http.client, which follows no redirect and reads no proxy from the
environment, on a socket connected to the address hrapi/destinations.py has just checked;
the name is used only for the Host header and TLS (SNI and certificate). Only the class of the
answer is kept: never its body, its exact status, or why a connection failed.
"""

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from hrapi import destinations
from hrapi.models import DeliveryOutcome, DeliveryStatus, WebhookDelivery

MAX_ATTEMPTS = 5
TIMEOUT_SECONDS = 5
# A claim older than this is from a worker that died mid-post; another may take over.
CLAIM_EXPIRES = timedelta(minutes=2)
NETWORK_ERROR = "No valid HTTP answer (connection refused, reset or timed out, or TLS failed)."


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 minutes after the 1st, 2nd, 3rd, 4th failure."""
    return timedelta(minutes=2 ** (attempts - 1))


def body_of(delivery: WebhookDelivery) -> bytes:
    """What the receiver gets: ids to deduplicate on, then the resource as the API shows it."""
    event = delivery.webhook_event
    payload = {
        "event": event.event,
        "event_id": str(event.id),
        "delivery_id": delivery.pk,
        "occurred_at": event.occurred_at.isoformat(),
        "redelivery": delivery.redelivery_of_id is not None,
        "data": event.data,
    }
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to `address`; `host` stays the name for the Host header."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to `address`, then speaks TLS for `host` (SNI and certificate checked)."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connect(destination: destinations.Destination):
    kind = _PinnedHTTPSConnection if destination.scheme == "https" else _PinnedHTTPConnection
    error = None
    for address in destination.addresses:
        connection = kind(destination.host, destination.port, address, TIMEOUT_SECONDS)
        try:
            connection.connect()
        except OSError as exc:
            error = exc
            connection.close()
            continue
        return connection
    raise error or OSError("no address")


def post(url: str, secret: str, delivery: WebhookDelivery) -> str:
    """POST one delivery; returns the outcome class. Checks the destination first (it raises
    DestinationRefused), then connects only to the addresses that check returned."""
    destination = destinations.check(url)
    body, timestamp = body_of(delivery), str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Redefine-Webhooks/1",
        "X-Redefine-Event": delivery.event,
        "X-Redefine-Event-Id": str(delivery.webhook_event_id),
        "X-Redefine-Delivery": str(delivery.pk),
        "X-Redefine-Timestamp": timestamp,
        "X-Redefine-Signature": sign(secret, timestamp, body),
    }
    try:
        connection = _connect(destination)
        try:
            connection.request("POST", destination.target, body=body, headers=headers)
            status = connection.getresponse().status
        finally:
            connection.close()
    except (OSError, http.client.HTTPException):
        return DeliveryOutcome.NETWORK_ERROR
    return f"{status // 100}xx" if 2 <= status // 100 <= 5 else DeliveryOutcome.NETWORK_ERROR


def claim(delivery_id: int) -> WebhookDelivery | None:
    """Take the delivery for this attempt; None if it is done or another worker holds it."""
    now = timezone.now()
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .exclude(claimed_at__gt=now - CLAIM_EXPIRES)
        .update(claimed_at=now)
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("subscription", "webhook_event").get(
        pk=delivery_id
    )


def record_success(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DELIVERED,
        outcome=DeliveryOutcome.SUCCESS,
        attempts=F("attempts") + 1,
        delivered_at=timezone.now(),
        next_attempt_at=None,
        claimed_at=None,
        last_error="",
    )


def record_failure(delivery: WebhookDelivery, outcome: str, error: str, *, final=False) -> None:
    attempts = delivery.attempts + 1
    final = final or attempts >= MAX_ATTEMPTS
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
        outcome=outcome,
        attempts=attempts,
        last_error=error[:300],
        next_attempt_at=None if final else timezone.now() + backoff(attempts),
        claimed_at=None,
    )


def due_deliveries(limit: int = 200) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def take_due(delivery_id: int) -> bool:
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
        ).update(next_attempt_at=None)
    )

"""Signing and posting one webhook delivery, and when to try again after a failure.

Receivers verify `X-Redefine-Signature: sha256=<hex>`, the HMAC-SHA256 with the
subscription's secret of "<X-Redefine-Timestamp>.<raw body>", and reject old timestamps.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from hrapi.models import DeliveryStatus, WebhookDelivery

MAX_ATTEMPTS = 5
TIMEOUT_SECONDS = 5
# A claim older than this is from a worker that died mid-post; another may take over.
CLAIM_EXPIRES = timedelta(minutes=2)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 minutes after the 1st, 2nd, 3rd, 4th failure."""
    return timedelta(minutes=2 ** (attempts - 1))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would send the payload somewhere the admin did not configure."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(
            req.full_url, code, f"redirect to {newurl} refused", headers, fp
        )


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, secret: str, delivery_id: int, event: str, payload: dict) -> int:
    """POST the payload; returns the HTTP status, raises on network errors and non-2xx."""
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the scheme is validated as http(s)
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Redefine-Webhooks/1",
            "X-Redefine-Event": event,
            "X-Redefine-Delivery": str(delivery_id),
            "X-Redefine-Timestamp": timestamp,
            "X-Redefine-Signature": sign(secret, timestamp, body),
        },
    )
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError("Only http(s) webhook URLs are allowed.")
    with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
        return response.status


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
    return WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)


def record_success(delivery: WebhookDelivery, status: int) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DELIVERED,
        attempts=F("attempts") + 1,
        response_status=status,
        delivered_at=timezone.now(),
        next_attempt_at=None,
        claimed_at=None,
        last_error="",
    )


def record_failure(delivery: WebhookDelivery, error: str, status: int | None) -> None:
    attempts = delivery.attempts + 1
    final = attempts >= MAX_ATTEMPTS
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
        attempts=attempts,
        response_status=status,
        last_error=error[:2000],
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

"""API clients (HR systems) and their hashed bearer tokens."""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models

from core.history import History

SCOPES = {
    "people:read": "Read people and org units",
    "people:write": "Create, update and deactivate people and org units",
    "metrics:read": "Read metric definitions, observations, baselines and protected metrics",
    "metrics:write": "Push observations and manage metric definitions",
    "pilots:read": "Read pilots, workgroups, cycles and opportunities",
    "pilots:write": "Act on pilots, cycles and opportunities",
    "scim": "Provision users and groups through SCIM 2.0",
}

TOKEN_PREFIX_LENGTH = 8


def hash_token(raw: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def with_last_used(self):
        """Annotate `last_used_at`: the latest use of any of the client's tokens."""
        return self.annotate(last_used_at=models.Max("tokens__last_used_at"))


class ApiClient(models.Model):
    name = models.CharField(max_length=100, unique=True)
    scopes = models.JSONField(default=list, help_text="Scopes this client may use.")
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = History()

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def has_scope(self, scope: str) -> bool:
        return self.revoked_at is None and scope in self.scopes


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the raw value is shown once at creation."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(max_length=TOKEN_PREFIX_LENGTH, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    # The hash stays out of the history (one place to revoke it); use is not a change.
    history = History(excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.client} {self.prefix}…"

    @staticmethod
    def generate() -> str:
        return "rdf_" + secrets.token_urlsafe(32)


class WebhookSubscriptionQuerySet(models.QuerySet):
    def for_event(self, event: str):
        """Active subscriptions of live clients that asked for `event`. Filtered in Python
        after one query: JSON `contains` is not portable to SQLite, and subscriptions are few."""
        live = self.filter(active=True, client__revoked_at__isnull=True)
        return [s for s in live if event in s.events]


class WebhookSubscription(models.Model):
    """Where an API client wants to hear about events. Only an HR admin creates these (in the
    admin), so Redefine only ever posts to addresses an admin configured."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="http(s) only; redirects are not followed.",
    )
    events = models.JSONField(default=list)
    # Kept in clear because signing needs it; shown to the admin once, at creation.
    secret = models.CharField(max_length=100, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Never a secret in the history: it is the one thing a reader of the audit must not learn.
    history = History(excluded_fields=["secret"])

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["client__name", "pk"]

    def __str__(self):
        return f"{self.client} → {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event for one subscription: the delivery log HR admins read in the admin."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set while one worker posts, so a duplicate task message does not post twice at once.
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event} #{self.pk} ({self.status})"

"""API clients (HR systems), their hashed bearer tokens, and their webhook subscriptions with
the log of every delivery; and what identity providers send over SCIM: the identity data the
HR contract has no field for, access groups, and the roles those groups grant."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.functions import Lower

from core.history import History
from core.roles import PORTFOLIO_GROUP, Role
from hrapi import destinations, encryption

SCOPES = {
    "people:read": "Read people and org units",
    "people:write": "Create, update and deactivate people and org units",
    "metrics:read": "Read metric definitions, observations, baselines and protected metrics",
    "metrics:write": "Push observations and manage metric definitions",
    "pilots:read": "Read pilots, workgroups, cycles and opportunities",
    "goals:read": "Read goals, their tree, progress and the pilots serving them",
    "scim": "Provision users and groups through SCIM 2.0",
    "webhooks": "Manage this client's webhook subscriptions, read their deliveries, redeliver",
}

# Scopes that once existed and granted nothing: a machine never acts on a pilot, a cycle or an
# opportunity (those acts belong to the people the separation of duties names). Scripts that
# still ask for one keep working: the scope is dropped, never stored, and the caller is told.
RETIRED_SCOPES = {
    "pilots:write": "machine clients never act on pilots, cycles or opportunities",
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
    """Where an API client wants to hear about events. HR admins manage every client's (admin,
    integrations page), a client with the `webhooks` scope its own (the API). Destinations
    must be public addresses (hrapi/destinations.py), checked here and at every delivery."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="http(s) to a public address; redirects are not followed.",
    )
    events = models.JSONField(default=list)
    # The signing secret, Fernet-encrypted (hrapi/encryption.py); shown once, at creation.
    secret_encrypted = models.TextField(editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Never a secret in the history: it is the one thing a reader of the audit must not learn.
    history = History(excluded_fields=["secret_encrypted"])

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["client__name", "pk"]

    def __str__(self):
        return f"{self.client} → {self.url}"

    def clean(self):
        super().clean()
        if self.url:
            try:
                destinations.check(self.url)
            except destinations.DestinationRefused as exc:
                raise ValidationError({"url": exc.fields["url"]}) from exc

    def set_secret(self, raw: str) -> None:
        self.secret_encrypted = encryption.encrypt(raw)

    @property
    def signing_secret(self) -> str:
        return encryption.decrypt(self.secret_encrypted)


class WebhookEvent(models.Model):
    """Something happened that integrators may hear about: its id is the same in every
    delivery of it (so receivers can deduplicate), `data` the resource as the API returns it,
    taken when the event happened."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    data = models.JSONField()

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self):
        return f"{self.event} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class DeliveryOutcome(models.TextChoices):
    """What the last attempt got, as a class: the remote status code and body are not kept, so
    the log cannot be read as a scan of the receiver's network."""

    SUCCESS = "2xx", "2xx (delivered)"
    REDIRECT = "3xx", "3xx (redirect, not followed)"
    CLIENT_ERROR = "4xx", "4xx"
    SERVER_ERROR = "5xx", "5xx"
    NETWORK_ERROR = "network_error", "Network error (no valid answer)"
    REFUSED = "refused", "Refused: not a public address"


class WebhookDelivery(models.Model):
    """One event for one subscription: the delivery log. A redelivery is a new row (a new
    delivery id, the same event id) pointing at the delivery it repeats."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    webhook_event = models.ForeignKey(
        WebhookEvent, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=64)
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="redeliveries"
    )
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    outcome = models.CharField(max_length=16, choices=DeliveryOutcome.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Our own words about the last failure (never the receiver's).
    last_error = models.CharField(max_length=300, blank=True)
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


class ScimProfile(models.Model):
    """What an identity provider sent for a person, as sent, beside the HR contract fields
    (`full_name`, `email`, `org_unit` on Person are derived from it by the SCIM services)."""

    person = models.OneToOneField(
        "people.Person", primary_key=True, on_delete=models.CASCADE, related_name="scim"
    )
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    formatted = models.CharField(max_length=200, blank=True)
    given_name = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    middle_name = models.CharField(max_length=200, blank=True)
    honorific_prefix = models.CharField(max_length=200, blank=True)
    honorific_suffix = models.CharField(max_length=200, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    # None: never sent over SCIM (the org unit's name is shown); "": removed by the provider.
    department = models.CharField(max_length=200, null=True, blank=True)
    # Bumped on every change of the User as SCIM shows it, group membership included.
    version = models.PositiveBigIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"SCIM profile of {self.person}"


class ScimEmail(models.Model):
    """One of a User's e-mail addresses, in the order the provider sent them."""

    profile = models.ForeignKey(ScimProfile, on_delete=models.CASCADE, related_name="emails")
    position = models.PositiveSmallIntegerField()
    value = models.CharField(max_length=254)
    type = models.CharField(max_length=64, blank=True)
    primary = models.BooleanField(null=True)  # as sent: true, false or absent
    display = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["profile", "position"]
        indexes = [models.Index(Lower("value"), name="scim_email_value_lower_idx")]

    def __str__(self):
        return self.value


class AccessRole(models.TextChoices):
    """The Redefine roles an access group may grant (the Django groups of core.roles)."""

    LEADER = Role.LEADER.value, "Leader"
    PORTFOLIO = PORTFOLIO_GROUP, "Portfolio viewer"
    HR_ADMIN = Role.HR_ADMIN.value, "HR admin"


class AccessGroup(models.Model):
    """A SCIM Group: who the identity provider says belongs together. An HR admin maps it
    to a role, so the provider's group push grants and revokes that role."""

    display_name = models.CharField(max_length=200)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    role = models.CharField(max_length=32, choices=AccessRole.choices, blank=True)
    members = models.ManyToManyField(
        "people.Person", through="AccessGroupMembership", related_name="access_groups"
    )
    version = models.PositiveBigIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = History()

    class Meta:
        ordering = ["display_name", "pk"]

    def __str__(self):
        return self.display_name


class AccessGroupMembership(models.Model):
    group = models.ForeignKey(AccessGroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="access_group_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = History()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="one_membership_per_group")
        ]

    def __str__(self):
        return f"{self.person} in {self.group}"


class RoleGrant(models.Model):
    """Why a login holds a role: from an access group, or (group None) by hand before any
    group granted it. A group's revocation removes the role only when no grant is left."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(max_length=32, choices=AccessRole.choices)
    group = models.ForeignKey(
        AccessGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = History()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "group"], name="one_grant_per_source"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(group__isnull=True),
                name="one_by_hand_grant_per_role",
            ),
        ]

    def __str__(self):
        source = self.group or "by hand"
        return f"{self.user} {self.role} ({source})"

"""Writes for API clients, their tokens and their webhook subscriptions and deliveries, and
for the roles that access groups grant."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError, StateConflict
from core.history import bulk_create_recorded
from core.outbox import broker_is_inline, enqueue
from hrapi import destinations
from hrapi.events import EVENTS
from hrapi.models import (
    RETIRED_SCOPES,
    SCOPES,
    AccessGroup,
    AccessGroupMembership,
    AccessRole,
    ApiClient,
    ApiToken,
    DeliveryStatus,
    RoleGrant,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
    hash_token,
)


def _checked_scopes(scopes: list[str]) -> list[str]:
    retired = sorted(set(scopes) & set(RETIRED_SCOPES))
    scopes = [scope for scope in scopes if scope not in RETIRED_SCOPES]
    if retired and not scopes:
        reasons = "; ".join(f"{s}: {RETIRED_SCOPES[s]}" for s in retired)
        raise DomainError(
            f"Retired scopes grant nothing ({reasons}). Known: {', '.join(sorted(SCOPES))}.",
            code="unknown_scope",
            fields={"scopes": [f"Retired scope {s!r}." for s in retired]},
        )
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise DomainError(
            f"Unknown scopes: {', '.join(unknown)}. Known: {', '.join(sorted(SCOPES))}.",
            code="unknown_scope",
            fields={"scopes": [f"Unknown scope {s!r}." for s in unknown]},
        )
    return sorted(set(scopes))


@transaction.atomic
def api_client_create(
    *, name: str, scopes: list[str], by=None, contact_email: str = ""
) -> tuple[ApiClient, str]:
    """Create a client and its first token. Returns the raw token, which is never stored."""
    name = name.strip()
    if not name:
        raise DomainError("Give the client a name.", code="invalid", fields={"name": ["Required."]})
    if ApiClient.objects.filter(name=name).exists():
        raise DomainError(f"An API client named {name!r} already exists.", code="duplicate")
    client = ApiClient.objects.create(
        name=name, scopes=_checked_scopes(scopes), created_by=by, contact_email=contact_email
    )
    return client, api_token_issue(client=client)


def api_token_issue(*, client: ApiClient) -> str:
    raw = ApiToken.generate()
    ApiToken.objects.create(client=client, prefix=raw[4:12], token_hash=hash_token(raw))
    return raw


def _revoke(row, now) -> None:
    # Row by row rather than one UPDATE, so each revocation is in the history with its actor.
    if row.revoked_at is None:
        row.revoked_at = now
        row.save(update_fields=["revoked_at"])


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    _revoke(ApiToken.objects.select_for_update().get(pk=token.pk), timezone.now())


@transaction.atomic
def api_client_revoke(*, client: ApiClient) -> None:
    now = timezone.now()
    _revoke(ApiClient.objects.select_for_update().get(pk=client.pk), now)
    for token in client.tokens.select_for_update().filter(revoked_at__isnull=True):
        _revoke(token, now)


def webhook_subscription_secret() -> str:
    """A new signing secret for a webhook subscription."""
    return "whsec_" + secrets.token_urlsafe(32)


def _checked_events(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(EVENTS))
    if unknown or not events:
        message = f"Choose events among: {', '.join(EVENTS)}."
        raise DomainError(message, code="invalid", fields={"events": [message]})
    return sorted(set(events))


def _checked_url(url: str) -> str:
    destinations.check(url)  # DestinationRefused is a DomainError: 400 with the reason
    return url


@transaction.atomic
def webhook_subscription_create(
    *, client: ApiClient, url: str, events: list[str], active: bool = True, by=None
) -> tuple[WebhookSubscription, str]:
    """A subscription to a checked public URL. Returns the raw signing secret, which is
    stored only encrypted and shown once by the caller."""
    if client.revoked_at is not None:
        raise StateConflict(f"{client.name} is revoked.", code="client_revoked")
    raw = webhook_subscription_secret()
    subscription = WebhookSubscription(
        client=client, url=_checked_url(url), events=_checked_events(events), active=active
    )
    subscription.set_secret(raw)
    subscription.save()
    return subscription, raw


@transaction.atomic
def webhook_subscription_update(*, subscription: WebhookSubscription, by=None, **changes):
    """Change url, events or active (only the keys given); a new URL is checked again."""
    if "url" in changes:
        subscription.url = _checked_url(changes["url"])
    if "events" in changes:
        subscription.events = _checked_events(changes["events"])
    if "active" in changes:
        subscription.active = bool(changes["active"])
    subscription.save(update_fields=[k for k in ("url", "events", "active") if k in changes])
    return subscription


def webhook_delivery_queue(
    *, subscription: WebhookSubscription, webhook_event: WebhookEvent, redelivery_of=None
) -> WebhookDelivery:
    """A delivery, posted after commit by a worker. On the embedded default (tasks inline)
    it is left due now for the beat's `webhook_retry_due`, so a request never waits on a
    receiver."""
    inline = broker_is_inline()
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        webhook_event=webhook_event,
        event=webhook_event.event,
        redelivery_of=redelivery_of,
        next_attempt_at=timezone.now() if inline else None,
    )
    if not inline:
        enqueue("hrapi.tasks.webhook_deliver", delivery_id=delivery.pk)
    return delivery


@transaction.atomic
def webhook_delivery_redeliver(*, delivery: WebhookDelivery, by=None) -> WebhookDelivery:
    """Send a delivery's event again: a new delivery (new id, same event id) to the same
    subscription, checked and signed afresh."""
    if not delivery.subscription.active:
        raise StateConflict("The subscription is inactive.", code="subscription_inactive")
    if delivery.status == DeliveryStatus.PENDING:
        raise StateConflict(
            "This delivery is still being attempted; redeliver it once it has succeeded or failed.",
            code="delivery_pending",
        )
    return webhook_delivery_queue(
        subscription=delivery.subscription,
        webhook_event=delivery.webhook_event,
        redelivery_of=delivery,
    )


@transaction.atomic
def access_group_set_role(*, group: AccessGroup, role: str, by=None) -> AccessGroup:
    """Map an access group to a role ("" for none); its members' logins follow at once."""
    if role and role not in AccessRole.values:
        raise DomainError(f"Unknown role {role!r}.", code="invalid", fields={"role": ["Unknown."]})
    group = AccessGroup.objects.select_for_update().get(pk=group.pk)
    if group.role != role:
        group.role = role
        group._history_user = by
        group.save(update_fields=["role", "updated_at"])
        access_roles_sync(person_ids=list(group.memberships.values_list("person_id", flat=True)))
    return group


def access_roles_sync(*, person_ids: list[int]) -> None:
    """Make these people's logins hold exactly the roles their access groups grant, leaving
    alone a role granted by hand (remembered as a grant without a group the first time a
    group grants it too). The callers hold the transaction."""
    wanted = set(
        AccessGroupMembership.objects.filter(person_id__in=person_ids, person__user__isnull=False)
        .exclude(group__role="")
        .values_list("person__user_id", "group__role", "group_id")
    )
    held = set(
        RoleGrant.objects.filter(user__person__pk__in=person_ids, group__isnull=False).values_list(
            "user_id", "role", "group_id"
        )
    )
    _grant_roles(wanted - held)
    _revoke_roles(held - wanted)


def _held(model_rows, pairs: set[tuple[int, str]]) -> list:
    """RoleGrant rows for these (user, role) pairs: filtered by IN then in Python, since an
    OR per pair would pass SQLite's expression-depth limit for a large group."""
    users, roles = {u for u, _ in pairs}, {r for _, r in pairs}
    rows = model_rows.filter(user_id__in=users, role__in=roles)
    return [row for row in rows if (row.user_id, row.role) in pairs]


def _memberships(pairs: set[tuple[int, str]]) -> tuple[type, dict[str, Group], set]:
    """The user-group link table, the role groups by name, and who already holds which."""
    through = get_user_model().groups.through
    groups = {g.name: g for g in Group.objects.filter(name__in=AccessRole.values)}
    names = {g.pk: name for name, g in groups.items()}
    links = through.objects.filter(
        user_id__in={u for u, _ in pairs}, group_id__in=names
    ).values_list("user_id", "group_id")
    return through, groups, {(u, names[g]) for u, g in links}


def _grant_roles(grants: set[tuple[int, str, int]]) -> None:
    if not grants:
        return
    pairs = {(user, role) for user, role, _ in grants}
    sourced = {(g.user_id, g.role) for g in _held(RoleGrant.objects.all(), pairs)}
    through, groups, holding = _memberships(pairs)
    new = pairs - sourced
    rows = [RoleGrant(user_id=u, role=r, group_id=g) for u, r, g in sorted(grants)]
    rows += [RoleGrant(user_id=u, role=r) for u, r in sorted(new & holding)]
    bulk_create_recorded(RoleGrant, rows, batch_size=1000)
    through.objects.bulk_create(
        [through(user_id=u, group_id=groups[r].pk) for u, r in sorted(new - holding)]
    )


def _revoke_roles(revokes: set[tuple[int, str, int]]) -> None:
    if not revokes:
        return
    pairs = {(user, role) for user, role, _ in revokes}
    rows = _held(RoleGrant.objects.filter(group_id__in={g for _, _, g in revokes}), pairs)
    gone = [row.pk for row in rows if (row.user_id, row.role, row.group_id) in revokes]
    RoleGrant.objects.filter(pk__in=gone).delete()  # one history row each
    sourced = _held(RoleGrant.objects.filter(group__isnull=False), pairs)
    still = {(g.user_id, g.role) for g in sourced}
    by_hand = _held(RoleGrant.objects.filter(group__isnull=True), pairs - still)
    # A role held by hand stays; its marker goes, so the link is a plain manual grant again.
    RoleGrant.objects.filter(pk__in=[row.pk for row in by_hand]).delete()
    through, groups, _ = _memberships(pairs)
    for user, role in sorted(pairs - still - {(r.user_id, r.role) for r in by_hand}):
        through.objects.filter(user_id=user, group=groups[role]).delete()

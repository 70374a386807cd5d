"""Writes for API clients and tokens."""

import secrets

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from hrapi.models import SCOPES, ApiClient, ApiToken, hash_token


def _checked_scopes(scopes: list[str]) -> list[str]:
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

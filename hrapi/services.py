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
def api_client_create(*, name: str, scopes: list[str], by=None) -> tuple[ApiClient, str]:
    """Create a client and its first token. Returns the raw token, which is never stored."""
    name = name.strip()
    if not name:
        raise DomainError("Give the client a name.", code="invalid", fields={"name": ["Required."]})
    if ApiClient.objects.filter(name=name).exists():
        raise DomainError(f"An API client named {name!r} already exists.", code="duplicate")
    client = ApiClient.objects.create(name=name, scopes=_checked_scopes(scopes), created_by=by)
    return client, api_token_issue(client=client)


def api_token_issue(*, client: ApiClient) -> str:
    raw = ApiToken.generate()
    ApiToken.objects.create(client=client, prefix=raw[4:12], token_hash=hash_token(raw))
    return raw


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_client_revoke(*, client: ApiClient) -> None:
    now = timezone.now()
    with transaction.atomic():
        ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=now)
        client.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)


def webhook_subscription_secret() -> str:
    """A new signing secret for a webhook subscription."""
    return "whsec_" + secrets.token_urlsafe(32)

"""Bearer-token authentication for machine clients. `request.auth` is the ApiClient."""

import datetime
import functools
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import authentication, exceptions

from hrapi.models import ApiClient, ApiToken, hash_token
from hrapi.throttling import refuse_bad_tokens_from

# Writing last_used_at on every request would make each GET a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@functools.cache
def _token_sql() -> str:
    """The live token's client, written once per process: the ORM would compile the same
    join on every API request (a third of the lookup's time)."""
    columns = ", ".join(f"c.{f.column}" for f in ApiClient._meta.concrete_fields)
    return (
        f"SELECT {columns}, t.id AS token_id, t.last_used_at AS token_last_used_at "  # noqa: S608
        f"FROM {ApiToken._meta.db_table} t JOIN {ApiClient._meta.db_table} c "
        "ON c.id = t.client_id "
        "WHERE t.token_hash = %s AND t.revoked_at IS NULL AND c.revoked_at IS NULL"
    )


def client_of_token(token_hash: str) -> ApiClient | None:
    """The unrevoked client of an unrevoked token (None otherwise), carrying `token_id` and
    `token_last_used_at`. The hash is unique: one row or none."""
    found = list(ApiClient.objects.raw(_token_sql(), [token_hash]))
    if not found:
        return None
    client = found[0]
    # A raw query's extra column skips the field's converters: SQLite hands back a string or
    # a naive UTC datetime where PostgreSQL gives an aware one.
    last_used = client.token_last_used_at
    if isinstance(last_used, str):
        last_used = parse_datetime(last_used)
    if last_used is not None and timezone.is_naive(last_used):
        last_used = timezone.make_aware(last_used, datetime.UTC)
    client.token_last_used_at = last_used
    return client


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            refuse_bad_tokens_from(request)
            raise exceptions.AuthenticationFailed("Send exactly: Authorization: Bearer <token>.")
        try:
            raw = header[1].decode()
        except UnicodeDecodeError as exc:
            refuse_bad_tokens_from(request)
            raise exceptions.AuthenticationFailed("The token is not valid.") from exc
        client = client_of_token(hash_token(raw))
        if client is None:
            refuse_bad_tokens_from(request)
            raise exceptions.AuthenticationFailed("The token is not valid or was revoked.")
        now = timezone.now()
        if client.token_last_used_at is None or (
            now - client.token_last_used_at > LAST_USED_RESOLUTION
        ):
            ApiToken.objects.filter(pk=client.token_id).update(last_used_at=now)
        return AnonymousUser(), client

    def authenticate_header(self, request):
        return self.keyword

"""Bearer-token authentication for machine clients. `request.auth` is the ApiClient."""

import datetime
import functools
import json
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import authentication, exceptions

from hrapi.models import ApiClient, ApiToken, hash_token
from hrapi.throttling import refuse_bad_tokens_from

# Writing last_used_at on every request would make each GET a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


# What a request reads of its client, in the model's field order (as `from_db` takes them).
CLIENT_FIELDS = [f.attname for f in ApiClient._meta.concrete_fields if f.name != "created_at"]
# revoked_at is not read: the statement only finds unrevoked clients, so it is NULL.
SELECTED = [name for name in CLIENT_FIELDS if name != "revoked_at"]


@functools.cache
def _token_sql() -> str:
    """The live token's client (all but its creation time) and the token's own id and last
    use, in one statement written once per process."""
    columns = ", ".join(f"c.{name}" for name in SELECTED)
    return (
        f"SELECT {columns}, t.id, t.last_used_at "  # noqa: S608
        f"FROM {ApiToken._meta.db_table} t JOIN {ApiClient._meta.db_table} c "
        "ON c.id = t.client_id "
        "WHERE t.token_hash = %s AND t.revoked_at IS NULL AND c.revoked_at IS NULL"
    )


def client_of_token(token_hash: str) -> ApiClient | None:
    """The unrevoked client of an unrevoked token (None otherwise), carrying `token_id` and
    `token_last_used_at`. The hash is unique: one row or none. Read with a plain cursor:
    the ORM (or a raw queryset) would build the query and the instance through its
    machinery on every API request (`created_at` loads if anything asks)."""
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(), [token_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    *fields, token_id, last_used = row
    values = dict(zip(SELECTED, fields, strict=True)) | {"revoked_at": None}
    values["scopes"] = _json(values["scopes"])
    client = ApiClient.from_db(
        connection.alias, CLIENT_FIELDS, [values[name] for name in CLIENT_FIELDS]
    )
    if isinstance(last_used, str):
        last_used = parse_datetime(last_used)
    if last_used is not None and timezone.is_naive(last_used):
        last_used = timezone.make_aware(last_used, datetime.UTC)
    client.token_id, client.token_last_used_at = token_id, last_used
    return client


def _json(value):
    # The backends hand JSON back as text (SQLite, and jsonb under Django's psycopg
    # loaders) or as a value.
    return json.loads(value) if isinstance(value, str | bytes) else value


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

"""API tokens are shown once and stored only as a SHA-256: the database never holds one."""

import hashlib
import io

import pytest
from django.core.management import call_command

from hrapi.models import ApiToken
from hrapi.services import api_client_create

pytestmark = pytest.mark.django_db


def test_the_database_holds_only_the_hash_of_a_new_token():
    client, raw = api_client_create(name="payroll", scopes=["people:read"])
    token = ApiToken.objects.get(client=client)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert not any(raw in value for value in stored)
    # The prefix helps an operator recognise a token; it is far too short to use as one.
    assert len(token.prefix) == 8 and len(raw) > 40


def test_no_table_anywhere_contains_the_raw_token():
    _, raw = api_client_create(name="payroll", scopes=["people:read", "metrics:write"])
    dump = io.StringIO()
    call_command("dumpdata", "hrapi", "auth", "people", stdout=dump)
    assert raw not in dump.getvalue()
    assert raw[4:] not in dump.getvalue()


def test_a_stored_hash_is_not_accepted_as_a_bearer_token(api):
    client, _ = api_client_create(name="payroll", scopes=["people:read"])
    stolen_hash = ApiToken.objects.get(client=client).token_hash
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {stolen_hash}")
    assert api.get("/api/schema/").status_code == 401

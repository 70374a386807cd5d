"""Webhook signing secrets are encrypted at rest: a database dump, a backup or a read-only SQL
account yields no usable secret; the key comes from WEBHOOK_SECRET_KEY (required in
production) and can be rotated; existing clear-text secrets are encrypted by the migration."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from hrapi.events import PILOT_STARTED
from hrapi.models import WebhookSubscription
from hrapi.services import api_client_create, webhook_subscription_create
from tests.security.conftest import random_secret_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(receiver):
    client, _ = api_client_create(name="payroll", scopes=["metrics:read"])
    return webhook_subscription_create(client=client, url=receiver.url, events=[PILOT_STARTED])


def test_no_table_and_no_dump_holds_the_secret(subscription):
    _, raw = subscription
    dump = io.StringIO()
    call_command("dumpdata", "hrapi", stdout=dump)
    assert raw not in dump.getvalue() and raw.removeprefix("whsec_") not in dump.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM hrapi_webhooksubscription")
        assert not any(raw in str(cell) for row in cursor.fetchall() for cell in row)
    assert WebhookSubscription.objects.get().signing_secret == raw


def test_another_key_cannot_read_the_secret(subscription, settings):
    settings.WEBHOOK_SECRET_KEY = "some other deployment's key"
    with pytest.raises(Exception, match="cannot be decrypted"):
        WebhookSubscription.objects.get().signing_secret  # noqa: B018


def test_the_key_is_rotated_with_a_fallback_then_reencrypted(subscription, settings):
    _, raw = subscription
    old = settings.WEBHOOK_SECRET_KEY
    settings.WEBHOOK_SECRET_KEY, settings.WEBHOOK_SECRET_KEY_FALLBACKS = "the new key", [old]
    assert WebhookSubscription.objects.get().signing_secret == raw
    out = io.StringIO()
    call_command("webhook_secrets_reencrypt", stdout=out)
    assert "1 webhook secret" in out.getvalue()
    settings.WEBHOOK_SECRET_KEY_FALLBACKS = []
    assert WebhookSubscription.objects.get().signing_secret == raw


def test_production_refuses_to_start_without_a_webhook_key(run_production):
    result = run_production(
        ["manage.py", "check"], SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="example.com"
    )
    assert result.returncode != 0
    assert "WEBHOOK_SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_the_migration_encrypts_secrets_stored_in_clear(transactional_db):
    from django.db.migrations.executor import MigrationExecutor

    from portfolio import triggers

    executor = MigrationExecutor(connection)
    before, after = [("hrapi", "0002_webhooks")], [("hrapi", "0003_webhook_secrets_events")]
    triggers.uninstall(connection)  # they name tables the older state lacks
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    client = old.get_model("hrapi", "ApiClient").objects.create(name="legacy")
    old.get_model("hrapi", "WebhookSubscription").objects.create(
        client=client,
        url="https://hr.example.org/hook",
        events=["pilot.started"],
        secret="whsec_legacy",
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    stored = new.get_model("hrapi", "WebhookSubscription").objects.get()
    assert "whsec_legacy" not in stored.secret_encrypted
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    triggers.install(connection)  # as `migrate` does, for the tests that follow
    assert WebhookSubscription.objects.get().signing_secret == "whsec_legacy"

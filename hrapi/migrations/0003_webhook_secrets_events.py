"""Webhook secrets encrypted at rest; events with ids; deliveries keep an outcome class."""

import uuid

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models
from django.utils.dateparse import parse_datetime


def encrypt_secrets(apps, schema_editor):
    from hrapi.encryption import encrypt

    Subscription = apps.get_model("hrapi", "WebhookSubscription")
    for subscription in Subscription.objects.all():
        subscription.secret_encrypted = encrypt(subscription.secret)
        subscription.save(update_fields=["secret_encrypted"])


def decrypt_secrets(apps, schema_editor):
    from hrapi.encryption import decrypt

    Subscription = apps.get_model("hrapi", "WebhookSubscription")
    for subscription in Subscription.objects.all():
        subscription.secret = decrypt(subscription.secret_encrypted)
        subscription.save(update_fields=["secret"])


def _outcome(status):
    if status is None:
        return ""
    return f"{status // 100}xx" if 2 <= status // 100 <= 5 else "network_error"


def events_from_payloads(apps, schema_editor):
    """Each old delivery's payload becomes its event; its status code becomes a class."""
    Delivery = apps.get_model("hrapi", "WebhookDelivery")
    Event = apps.get_model("hrapi", "WebhookEvent")
    for delivery in Delivery.objects.all():
        payload = delivery.payload or {}
        occurred = parse_datetime(str(payload.get("occurred_at", ""))) or delivery.created_at
        event = Event.objects.create(
            event=delivery.event, occurred_at=occurred, data=payload.get("data", {})
        )
        delivery.webhook_event = event
        delivery.outcome = _outcome(delivery.response_status)
        delivery.last_error = ""  # it held receivers' words; only our own are kept now
        delivery.save(update_fields=["webhook_event", "outcome", "last_error"])


class Migration(migrations.Migration):
    dependencies = [
        ("hrapi", "0002_webhooks"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhooksubscription",
            name="secret_encrypted",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
        migrations.RemoveField(model_name="webhooksubscription", name="secret"),
        migrations.AlterField(
            model_name="webhooksubscription",
            name="url",
            field=models.URLField(
                help_text="http(s) to a public address; redirects are not followed.",
                max_length=500,
                validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
            ),
        ),
        migrations.CreateModel(
            name="WebhookEvent",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("event", models.CharField(max_length=64)),
                ("occurred_at", models.DateTimeField()),
                ("data", models.JSONField()),
            ],
            options={"ordering": ["-occurred_at"]},
        ),
        migrations.AddField(
            model_name="webhookdelivery",
            name="webhook_event",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deliveries",
                to="hrapi.webhookevent",
            ),
        ),
        migrations.AddField(
            model_name="webhookdelivery",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("2xx", "2xx (delivered)"),
                    ("3xx", "3xx (redirect, not followed)"),
                    ("4xx", "4xx"),
                    ("5xx", "5xx"),
                    ("network_error", "Network error (no valid answer)"),
                    ("refused", "Refused: not a public address"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="webhookdelivery",
            name="redelivery_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="redeliveries",
                to="hrapi.webhookdelivery",
            ),
        ),
        migrations.RunPython(events_from_payloads, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="webhook_event",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deliveries",
                to="hrapi.webhookevent",
            ),
        ),
        migrations.RemoveField(model_name="webhookdelivery", name="payload"),
        migrations.RemoveField(model_name="webhookdelivery", name="response_status"),
        migrations.AlterField(
            model_name="webhookdelivery",
            name="last_error",
            field=models.CharField(blank=True, max_length=300),
        ),
    ]

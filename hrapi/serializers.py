"""Shapes of webhook subscriptions and deliveries over the v1 API."""

from rest_framework import serializers

from core.api import StrictBooleanField
from hrapi.events import EVENTS
from hrapi.models import ApiClient, WebhookDelivery, WebhookSubscription


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    client = serializers.SlugRelatedField(
        slug_field="name",
        queryset=ApiClient.objects.active(),
        required=False,
        help_text="The API client's name. A machine client manages only its own: leave it out.",
    )
    url = serializers.URLField(
        max_length=500, help_text="http(s) to a public address; redirects are not followed."
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENTS), allow_empty=False, max_length=len(EVENTS)
    )
    active = StrictBooleanField(required=False, default=True)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "client", "url", "events", "active", "created_at"]
        read_only_fields = ["id", "created_at"]


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret, returned only in this answer: store it now. Redefine "
        "keeps it encrypted and never shows it again.",
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.UUIDField(source="webhook_event_id", read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_id",
            "status",
            "outcome",
            "attempts",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "redelivery_of",
        ]
        read_only_fields = fields

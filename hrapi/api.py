"""Endpoints of the hrapi app under /api/v1/: webhook subscriptions (scope `webhooks`) with
their delivery log and redelivery, and the JSON 404 for unknown paths.

A machine client manages its own subscriptions; an HR admin's session manages every client's.
The signing secret is in the answer to the POST that creates a subscription, and nowhere after.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from hrapi.models import WebhookDelivery, WebhookSubscription
from hrapi.permissions import HasScopeOrUserPermission, ManagesWebhooks, client_of
from hrapi.serializers import (
    WebhookDeliverySerializer,
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionSerializer,
)
from hrapi.services import (
    webhook_delivery_redeliver,
    webhook_subscription_create,
    webhook_subscription_update,
)


def _by(request):
    return request.user if request.user.is_authenticated else None


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    """Unknown paths under /api/v1/ answer in the API's error shape, not Django's HTML page."""
    raise exceptions.NotFound("No endpoint at this path.")


class WebhookSubscriptionViewSet(viewsets.ModelViewSet):
    """Webhook subscriptions. Every event is POSTed as JSON with `event`, `event_id` (the same
    in every delivery of that event), `delivery_id`, `occurred_at`, `redelivery` and `data`:
    the pilot as `GET /api/v1/pilots/{id}/` returns it (`pilot.started`, `pilot.ended`), or
    `{"pilot": id, "baselines": [...]}` with rows as `GET /api/v1/baselines/` returns them
    (`baseline.frozen`, `baseline.rebaselined`). Signed with `X-Redefine-Signature:
    sha256=HMAC(secret, "<X-Redefine-Timestamp>.<body>")`. Destinations must be public
    addresses (checked on save and at every delivery; 400 `destination_refused`)."""

    scope_read = scope_write = "webhooks"
    permission_classes = [HasScopeOrUserPermission, ManagesWebhooks]
    serializer_class = WebhookSubscriptionSerializer
    ordering_fields = ["id", "created_at"]
    ordering = ["id"]

    def get_queryset(self):
        subscriptions = WebhookSubscription.objects.select_related("client")
        client = client_of(self.request)
        return subscriptions if client is None else subscriptions.filter(client=client)

    def _owner(self, data: dict):
        client = client_of(self.request)
        if client is None:
            if "client" not in data:
                raise exceptions.ValidationError({"client": ["Name the API client."]})
            return data["client"]
        if data.get("client", client) != client:
            raise exceptions.ValidationError(
                {"client": ["A client manages only its own subscriptions."]}
            )
        return client

    @extend_schema(responses={201: WebhookSubscriptionCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscription, secret = webhook_subscription_create(
            client=self._owner(data),
            url=data["url"],
            events=data["events"],
            active=data.get("active", True),
            by=_by(request),
        )
        body = WebhookSubscriptionCreatedSerializer(subscription).data
        return Response({**body, "secret": secret}, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        subscription = self.get_object()
        serializer = self.get_serializer(
            subscription, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "client" in data and data.pop("client") != subscription.client:
            raise exceptions.ValidationError({"client": ["The client cannot change."]})
        if not kwargs.get("partial"):
            data.setdefault("active", True)
        webhook_subscription_update(subscription=subscription, by=_by(request), **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=subscription.pk)).data)

    @extend_schema(responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The delivery log of this subscription, newest first: status, outcome class
        (2xx/3xx/4xx/5xx/network_error/refused), attempts. Never a receiver's answer."""
        subscription = self.get_object()
        rows = subscription.deliveries.order_by("-created_at", "-pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]{1,18})/redeliver",
    )
    def redeliver(self, request, pk=None, delivery_id=None):
        """Send a delivery's event again: a new delivery (new `delivery_id`, same `event_id`),
        queued for a worker. 409 `delivery_pending` while the original is still trying."""
        subscription = self.get_object()
        delivery = get_object_or_404(
            WebhookDelivery.objects.select_related("subscription", "webhook_event"),
            pk=delivery_id,
            subscription=subscription,
        )
        again = webhook_delivery_redeliver(delivery=delivery, by=_by(request))
        return Response(WebhookDeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)

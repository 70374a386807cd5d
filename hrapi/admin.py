"""Admin for API clients and webhooks. A new token or signing secret is shown once, in the
answer to the POST that created it: never in a message (messages may travel in a cookie),
never in a redirect, never stored readable."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from core.admin import HistoryAdmin
from core.errors import DomainError
from hrapi.forms import ApiClientForm, WebhookSubscriptionForm
from hrapi.models import ApiClient, ApiToken, WebhookDelivery, WebhookSubscription
from hrapi.services import (
    api_client_create,
    api_client_revoke,
    webhook_delivery_redeliver,
    webhook_subscription_create,
    webhook_subscription_update,
)


def one_time_secret(request, *, title: str, explanation: str, secret: str, kind: str, next_url):
    response = TemplateResponse(
        request,
        "admin/hrapi/one_time_secret.html",
        {
            **admin.site.each_context(request),
            "title": title,
            "explanation": explanation,
            "secret": secret,
            "kind": kind,
            "continue_url": next_url,
        },
    )
    add_never_cache_headers(response)
    return response


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(HistoryAdmin):
    form = ApiClientForm
    list_display = ["name", "scope_list", "last_used_at", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "contact_email"]
    readonly_fields = ["created_at", "created_by", "revoked_at"]
    inlines = [ApiTokenInline]
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_last_used()

    @admin.display(description="Scopes")
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    @admin.display(description="Last used", ordering="last_used_at")
    def last_used_at(self, obj):
        return obj.last_used_at

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Creation goes through the service so the admin issues a token like every other path.
        client, raw = api_client_create(
            name=obj.name,
            scopes=form.cleaned_data["scopes"],
            by=request.user,
            contact_email=obj.contact_email,
        )
        obj.pk, obj.created_at, obj.created_by = client.pk, client.created_at, request.user
        request.one_time_secret = raw

    def response_add(self, request, obj, post_url_continue=None):
        return one_time_secret(
            request,
            title=f"Token for {obj.name}",
            explanation="Give this bearer token to the HR system.",
            secret=request.one_time_secret,
            kind="token",
            next_url=reverse("admin:hrapi_apiclient_change", args=[obj.pk]),
        )

    def has_delete_permission(self, request, obj=None):
        return False  # history and observations name the client that wrote them: revoke it

    @admin.action(description="Revoke the selected clients and all their tokens")
    def revoke(self, request, queryset):
        for client in queryset.active():
            api_client_revoke(client=client)
        self.message_user(request, "Revoked.", messages.SUCCESS)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(HistoryAdmin):
    form = WebhookSubscriptionForm
    list_display = ["client", "url", "event_list", "active", "created_at"]
    list_filter = ["active", "client"]
    list_select_related = ["client"]

    @admin.display(description="Events")
    def event_list(self, obj):
        return ", ".join(obj.events)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            fields = {k: data[k] for k in ("url", "events", "active") if k in form.changed_data}
            webhook_subscription_update(subscription=obj, by=request.user, **fields)
            return
        created, raw = webhook_subscription_create(
            client=data["client"],
            url=data["url"],
            events=data["events"],
            active=data["active"],
            by=request.user,
        )
        obj.pk, obj.created_at, obj.secret_encrypted = (
            created.pk,
            created.created_at,
            created.secret_encrypted,
        )
        request.one_time_secret = raw

    def response_add(self, request, obj, post_url_continue=None):
        return one_time_secret(
            request,
            title=f"Signing secret for {obj.url}",
            explanation="Give this secret to the receiver: it checks X-Redefine-Signature with it.",
            secret=request.one_time_secret,
            kind="secret",
            next_url=reverse("admin:hrapi_webhooksubscription_changelist"),
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only, with a way to send an event again."""

    list_display = [
        "pk",
        "event",
        "subscription",
        "status",
        "outcome",
        "attempts",
        "last_error",
        "next_attempt_at",
        "redelivery_of",
        "created_at",
    ]
    list_filter = ["status", "outcome", "event"]
    list_select_related = ["subscription__client"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Redeliver the selected events (a new delivery each)")
    def redeliver(self, request, queryset):
        done, refused = 0, []
        for delivery in queryset.select_related("subscription", "webhook_event"):
            try:
                webhook_delivery_redeliver(delivery=delivery, by=request.user)
                done += 1
            except DomainError as exc:
                refused.append(f"#{delivery.pk}: {exc.message}")
        self.message_user(request, f"{done} redeliveries queued.", messages.SUCCESS)
        if refused:
            self.message_user(request, " ".join(refused), messages.WARNING)

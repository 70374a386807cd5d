"""Admin for API clients (token shown once, revoke action) and the webhook delivery log."""

from django.contrib import admin, messages
from django.utils import timezone

from core.admin import HistoryAdmin
from hrapi.forms import ApiClientForm, WebhookSubscriptionForm
from hrapi.models import ApiClient, ApiToken, DeliveryStatus, WebhookDelivery, WebhookSubscription
from hrapi.services import api_client_create, api_client_revoke, webhook_subscription_secret


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
        messages.warning(
            request, f"Token for {client.name} (copy it now, it is shown only once): {raw}"
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
        if not change:
            obj.secret = webhook_subscription_secret()
        super().save_model(request, obj, form, change)
        if not change:
            messages.warning(
                request,
                f"Signing secret for {obj.url} (give it to the receiver now, it is shown only "
                f"once): {obj.secret}",
            )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only, with a way to try a failed delivery again."""

    list_display = [
        "event",
        "subscription",
        "status",
        "attempts",
        "response_status",
        "last_error",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "event"]
    list_select_related = ["subscription__client"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Try the selected deliveries again now")
    def retry(self, request, queryset):
        count = queryset.exclude(status=DeliveryStatus.DELIVERED).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(request, f"{count} deliveries will be retried within a minute.")

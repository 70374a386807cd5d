"""The HR admin's integration pages, mounted at /integrations/: API clients (list with scopes
and last use, create, revoke), the access groups identity providers push (each mapped to a
role), and webhook subscriptions (create, pause, delivery log, redeliver). A new token or
signing secret is rendered in the answer to its POST only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.roles import is_hr_admin
from hrapi.forms import AccessGroupRoleForm, ApiClientForm, WebhookSubscriptionForm
from hrapi.models import AccessGroup, ApiClient, WebhookDelivery, WebhookSubscription
from hrapi.services import (
    access_group_set_role,
    api_client_create,
    api_client_revoke,
    webhook_delivery_redeliver,
    webhook_subscription_create,
    webhook_subscription_update,
)

DELIVERIES_PER_PAGE = 50


def _hr_admin_only(request) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied("Only HR admins manage integrations.")


@login_required
def index(request):
    _hr_admin_only(request)
    form = ApiClientForm(request.POST if request.method == "POST" else None)
    token = None
    if request.method == "POST" and form.is_valid():
        try:
            client, token = api_client_create(
                name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], by=request.user
            )
        except DomainError as exc:
            form.add_error("name", exc.message)
        else:
            # The raw token goes into this response only, never into a redirect or a message.
            form = ApiClientForm()
            messages.success(request, f"Created {client.name}.")
    clients = ApiClient.objects.with_last_used().order_by("revoked_at", "name", "pk")
    groups = AccessGroup.objects.annotate(member_count=Count("memberships"))
    context = {"clients": clients, "form": form, "new_token": token, "access_groups": groups}
    context["role_form"] = AccessGroupRoleForm()
    return render(request, "hrapi/index.html", context)


@login_required
@require_POST
def revoke(request, pk: int):
    _hr_admin_only(request)
    client = get_object_or_404(ApiClient, pk=pk)
    api_client_revoke(client=client)
    messages.success(request, f"Revoked {client.name}: its tokens no longer work.")
    return redirect("hrapi:index")


@login_required
def webhooks(request):
    _hr_admin_only(request)
    form = WebhookSubscriptionForm(request.POST if request.method == "POST" else None)
    secret = created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created, secret = webhook_subscription_create(
                client=data["client"],
                url=data["url"],
                events=data["events"],
                active=data["active"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error("url", exc.message)
        else:
            form = WebhookSubscriptionForm()
    subscriptions = WebhookSubscription.objects.select_related("client").order_by(
        "client__name", "pk"
    )
    context = {"subscriptions": subscriptions, "form": form, "created": created, "secret": secret}
    return render(request, "hrapi/webhooks.html", context)


@login_required
def webhook_detail(request, pk: int):
    _hr_admin_only(request)
    subscription = get_object_or_404(WebhookSubscription.objects.select_related("client"), pk=pk)
    deliveries = subscription.deliveries.order_by("-created_at", "-pk")
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"subscription": subscription, "page": page}
    return render(request, "hrapi/webhook_detail.html", context)


@login_required
@require_POST
def webhook_active(request, pk: int):
    _hr_admin_only(request)
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    active = request.POST.get("active") == "true"
    webhook_subscription_update(subscription=subscription, active=active, by=request.user)
    messages.success(request, f"{subscription.url} is {'active' if active else 'paused'}.")
    return redirect("hrapi:webhook", pk=pk)


@login_required
@require_POST
def webhook_redeliver(request, pk: int, delivery_pk: int):
    _hr_admin_only(request)
    delivery = get_object_or_404(
        WebhookDelivery.objects.select_related("subscription", "webhook_event"),
        pk=delivery_pk,
        subscription_id=pk,
    )
    try:
        again = webhook_delivery_redeliver(delivery=delivery, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Queued delivery #{again.pk} of event {delivery.event}.")
    return redirect("hrapi:webhook", pk=pk)


@login_required
@require_POST
def access_group_role(request, pk: int):
    """Map an access group to a role: its members' logins gain it now and lose it when the
    identity provider removes them (a role granted by hand stays)."""
    _hr_admin_only(request)
    group = get_object_or_404(AccessGroup, pk=pk)
    form = AccessGroupRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles offered.")
        return redirect("hrapi:index")
    group = access_group_set_role(group=group, role=form.cleaned_data["role"], by=request.user)
    label = group.get_role_display() if group.role else "no role"
    messages.success(request, f"{group.display_name} now grants {label}.")
    return redirect("hrapi:index")

"""The HR admin's page of API clients: list with scopes and last use, create, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.roles import is_hr_admin
from hrapi.forms import ApiClientForm
from hrapi.models import ApiClient
from hrapi.services import api_client_create, api_client_revoke


def _hr_admin_only(request) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied("Only HR admins manage API clients.")


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
    return render(
        request, "hrapi/index.html", {"clients": clients, "form": form, "new_token": token}
    )


@login_required
@require_POST
def revoke(request, pk: int):
    _hr_admin_only(request)
    client = get_object_or_404(ApiClient, pk=pk)
    api_client_revoke(client=client)
    messages.success(request, f"Revoked {client.name}: its tokens no longer work.")
    return redirect("hrapi:index")

"""One permission default for the whole API: machine clients need the view's scope; people
need a login (what they may see is decided by the view's queryset, scoped to them)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import is_hr_admin
from hrapi.models import RETIRED_SCOPES, ApiClient


def client_of(request) -> ApiClient | None:
    return request.auth if isinstance(request.auth, ApiClient) else None


class HasScopeOrUserPermission(BasePermission):
    """Views name their scope family (`scope = "people"`): reads need `people:read`, writes
    `people:write`. A view may set `scope_read` / `scope_write` to other scopes."""

    message = "This token does not have the scope this endpoint needs."

    def has_permission(self, request, view):
        client = client_of(request)
        if client is not None:
            needed = required_scope(view, request.method)
            if needed in RETIRED_SCOPES:  # no token can hold it: say why, not "missing scope"
                self.message = f"API clients cannot do this: {RETIRED_SCOPES[needed]}."
                return False
            return needed is not None and client.has_scope(needed)
        return bool(request.user and request.user.is_authenticated)


def required_scope(view, method: str) -> str | None:
    family = getattr(view, "scope", None)
    if method in SAFE_METHODS:
        return getattr(view, "scope_read", None) or (family and f"{family}:read")
    return getattr(view, "scope_write", None) or (family and f"{family}:write")


def visible(queryset, request):
    """Scope a queryset to the caller: a machine client with the view's scope reads the whole
    organisation; a person reads what the model's `visible_to(user)` allows."""
    if client_of(request) is not None:
        return queryset
    return queryset.visible_to(request.user)


class WritesNeedAPerson(BasePermission):
    """Machine clients read; only a person writes, in their own session. The view's
    `person_writes_message` says who writes it."""

    message = "API clients may only read this; a person writes it in their own session."

    def has_permission(self, request, view):
        self.message = getattr(view, "person_writes_message", self.message)
        return request.method in SAFE_METHODS or client_of(request) is None


class HumanWritesNeedHrAdmin(BasePermission):
    """People write HR data only as HR admins; machine clients are judged by their scopes."""

    message = "Only HR admins may change this."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or client_of(request) is not None:
            return True
        return is_hr_admin(request.user)


class ManagesWebhooks(BasePermission):
    """Webhook subscriptions: a machine client with the `webhooks` scope (its own, by the
    queryset), or an HR admin's session (every client's). Nobody else, not even to read."""

    message = "Only HR admins and API clients with the webhooks scope manage webhooks."

    def has_permission(self, request, view):
        return client_of(request) is not None or is_hr_admin(request.user)

"""Middleware for signed-in people: pages that hold personal data are never stored by a
browser or a shared cache, and a session left idle ends."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers

IDLE_MESSAGE = (
    "You were logged out after {minutes} minutes without activity, to protect the personal "
    "data on these pages. Log in again to continue."
)
# Recording the last activity at most this often keeps a session write off most requests.
ACTIVITY_RESOLUTION_SECONDS = 60


class PrivatePagesMiddleware:
    """`Cache-Control: no-store` on every answer to a signed-in session or a bearer token:
    pages, exports (CSV, XLSX), the token page, the API and SCIM."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user and user.is_authenticated)
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)
        return response


class IdleSessionMiddleware:
    """Logs a session out after `SESSION_IDLE_TIMEOUT` without a request, and says why on the
    login page it is sent to. The absolute limit stays SESSION_COOKIE_AGE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._touch(request)
        return self.get_response(request)

    def _touch(self, request) -> None:
        timeout = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        now = time.time()
        last = request.session.get("last_activity")
        if last is not None and now - last > timeout:
            logout(request)
            messages.info(request, IDLE_MESSAGE.format(minutes=round(timeout / 60)))
            return
        if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
            request.session["last_activity"] = now


@receiver(user_logged_in, dispatch_uid="core.logging_in_is_activity")
def _logging_in_is_activity(sender, request, user, **kwargs):
    # Stamped with the login's own session write, so the next request need not write again.
    if request is not None and hasattr(request, "session"):
        request.session["last_activity"] = time.time()

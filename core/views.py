"""The home page (what waits for this person, and each role's way in) and the health probe."""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import health
from core.selectors import what_needs_me


@login_required
def home(request):
    person = getattr(request.user, "person", None)
    context = {"person": person, "sections": what_needs_me(request.user)}
    return render(request, "core/home.html", context)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the app's icon."""
    return redirect(staticfiles_storage.url("favicon.svg"), permanent=True)


@never_cache
@require_GET
def healthz(request):
    """Database and broker status decide the answer (a load balancer acts on it); the
    heartbeats of beat and the worker are reported for people and their own health checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - the probe reports any failure as data
        return JsonResponse(
            {"status": "degraded", "database": f"error: {exc.__class__.__name__}"}, status=503
        )
    body = {"database": database, **health.report()}
    healthy = body["broker"] in ("ok", "inline")
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **body}, status=200 if healthy else 503
    )

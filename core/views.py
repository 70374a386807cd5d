"""The home page that sends each role where it works, and the health probe."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import broker_status


@login_required
def home(request):
    person = getattr(request.user, "person", None)
    return render(request, "core/home.html", {"person": person})


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - the probe reports any failure as data
        database = f"error: {exc.__class__.__name__}"
    broker = broker_status()
    healthy = database == "ok" and broker in ("ok", "inline")
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )

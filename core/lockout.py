"""The page a locked-out login sees (django-axes calls it after too many wrong passwords)."""

from django.conf import settings
from django.shortcuts import render


def locked_out_response(request, original_response=None, credentials=None):
    """429 with a plain explanation: who is locked, why, and for how long."""
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": (credentials or {}).get("username") or request.POST.get("username", ""),
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)

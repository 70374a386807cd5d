"""API routes of the evidence app, mounted under /api/v1/."""

from django.urls import path

from evidence.api import PilotEffectView

urlpatterns = [
    path("pilots/<int:pk>/effect/", PilotEffectView.as_view(), name="pilot-effect"),
]

"""API routes of the hrapi app, mounted under /api/v1/ after every other app's routes."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from hrapi.api import WebhookSubscriptionViewSet, not_found

router = SimpleRouter()
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook")

urlpatterns = [
    *router.urls,
    # Last of all API routes (config.urls mounts hrapi last): an unknown /api/v1/ path gets
    # the API's JSON 404. Only paths ending in "/" so APPEND_SLASH still redirects the rest;
    # [\s\S] so an encoded newline in an id (`/cycles/%0A/`) is an unknown path too.
    re_path(r"^[\s\S]*/$", not_found, name="api-not-found"),
]

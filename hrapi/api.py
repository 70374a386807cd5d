"""Endpoints of the hrapi app under /api/v1/: the JSON 404 for unknown paths."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    """Unknown paths under /api/v1/ answer in the API's error shape, not Django's HTML page."""
    raise exceptions.NotFound("No endpoint at this path.")

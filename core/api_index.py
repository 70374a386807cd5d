"""`GET /api/v1/`: a JSON index of the API's resources, so an integrator who lands on the
base path finds the collections, the schema and the docs instead of an HTML 404."""

from importlib import import_module

from django.http import HttpResponseServerError
from django.views.defaults import server_error as html_server_error
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api_guard import GUARDED_PREFIXES, server_error_response

# Collections that are not a router's (no ViewSet of their own).
EXTRA_RESOURCES = ("portfolio/summary",)


def _collections() -> list[str]:
    from config.urls import API_APPS

    prefixes = []
    for app in API_APPS:
        router = getattr(import_module(f"{app}.api_urls"), "router", None)
        prefixes += [prefix for prefix, _viewset, _basename in router.registry] if router else []
    return sorted({*prefixes, *EXTRA_RESOURCES})


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def index(request):
    base = request.build_absolute_uri("/api/v1/")
    return Response(
        {
            "resources": {name: f"{base}{name}/" for name in _collections()},
            "schema": request.build_absolute_uri("/api/schema/"),
            "docs": request.build_absolute_uri("/api/docs/"),
            "scim": request.build_absolute_uri("/scim/v2/"),
        }
    )


def server_error(request, *args, **kwargs) -> HttpResponseServerError:
    """handler500: JSON in the contract's (or SCIM's) shape under /api/ and /scim/, the HTML
    page everywhere else."""
    if request.path_info.startswith(GUARDED_PREFIXES):
        return server_error_response(request.path_info)
    return html_server_error(request)

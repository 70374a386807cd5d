"""API routes of the metrics app, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from metrics.api import (
    BaselineViewSet,
    MetricDefinitionViewSet,
    ObservationBulkView,
    ObservationViewSet,
    ProtectedMetricsView,
)

router = SimpleRouter()
router.register("metric-definitions", MetricDefinitionViewSet, basename="metric-definition")
router.register("observations", ObservationViewSet, basename="observation")
router.register("baselines", BaselineViewSet, basename="baseline")

urlpatterns = [
    path("observations/bulk/", ObservationBulkView.as_view(), name="observation-bulk"),
    path(
        "people/<str:external_id>/protected-metrics/",
        ProtectedMetricsView.as_view(),
        name="person-protected-metrics",
    ),
    *router.urls,
]

"""Metrics over the v1 API: definitions (CRUD), observations (read, bulk upsert), baselines
(read-only) and a person's protected metrics.

Machine clients need `metrics:read` / `metrics:write`. People: HR admins and portfolio
leaders read everyone's observations, baselines and protected metrics, a supervisor only
their own; only HR admins write.
"""

from django.db.models import F, OuterRef, Subquery
from django.db.models.deletion import ProtectedError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import IdCursorPagination
from core.api_writes import ConditionalMixin, require_every_field
from hrapi.permissions import HasScopeOrUserPermission, HumanWritesNeedHrAdmin, client_of, visible
from metrics.filters import BaselineFilter, ObservationFilter
from metrics.ingest import Writer
from metrics.models import Baseline, MetricDefinition, Observation
from metrics.permissions import can_read_metrics_of
from metrics.protection import protected_metrics
from metrics.serializers import (
    BaselineSerializer,
    MetricDefinitionSerializer,
    ObservationBulkSerializer,
    ObservationSerializer,
    PeriodSerializer,
    ProtectedMetricSerializer,
)
from metrics.services import (
    MetricInUse,
    metric_definition_create,
    metric_definition_delete,
    metric_definition_update,
    observations_upsert,
)
from people.models import Person
from people.serializers import BulkResultSerializer

# What a PUT must name (the key may be left out: it is in the URL).
CONTRACT_FIELDS = ("name", "unit", "kind", "direction", "aggregation")

IN_USE_DOC = (
    "Once a metric has observations or baselines, its `key`, `direction`, `aggregation`, "
    "`unit` and `kind` are fixed: changing any of them is a 409 `metric_in_use` naming the "
    "fields (create a new metric instead). `name` and `description` stay editable; "
    "`active: false` stops new observations, and baselines already frozen keep the metric "
    "for their whole protected period, read by the meaning they were frozen under."
)


@extend_schema_view(
    update=extend_schema(description=IN_USE_DOC),
    partial_update=extend_schema(description=IN_USE_DOC),
    destroy=extend_schema(
        description="Deletes a metric nobody used; one in use is a 409 `metric_in_use`: "
        "deactivate it (`active: false`) instead."
    ),
)
class MetricDefinitionViewSet(ConditionalMixin, viewsets.ModelViewSet):
    """Metric definitions keyed by `key`, written through the metrics services, which keep a
    metric's meaning fixed once observations or baselines use it."""

    scope = "metrics"
    permission_classes = [HasScopeOrUserPermission, HumanWritesNeedHrAdmin]
    serializer_class = MetricDefinitionSerializer
    queryset = MetricDefinition.objects.all()
    lookup_field = "key"
    filterset_fields = ["kind", "active"]
    ordering_fields = ["key"]
    ordering = ["key"]

    def perform_create(self, serializer):
        serializer.instance = metric_definition_create(data=serializer.validated_data)

    def update(self, request, *args, **kwargs):
        require_every_field(request, CONTRACT_FIELDS)
        return super().update(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = metric_definition_update(
            metric=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        try:
            metric_definition_delete(metric=instance)
        except ProtectedError as exc:  # referred to from elsewhere (a coaching cycle's data)
            raise MetricInUse("This metric is in use; deactivate it instead.") from exc


class ObservationViewSet(viewsets.ReadOnlyModelViewSet):
    """Observations, current rows only unless `include_superseded=true`; newest first."""

    scope = "metrics"
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilter
    pagination_class = IdCursorPagination
    # Only the primary key serves every filter combination at 50 M rows (the cursor's key).
    ordering_fields = ["id"]

    def get_queryset(self):
        person_ids = Person.objects.filter(pk=OuterRef("subject_id")).values("external_id")
        return visible(Observation.objects.all(), self.request).annotate(
            metric_key=F("metric__key"),
            person_external_id=Subquery(person_ids[:1]),
            api_client_name=F("api_client__name"),
        )


class ObservationBulkView(APIView):
    scope = "metrics"
    permission_classes = [HasScopeOrUserPermission, HumanWritesNeedHrAdmin]

    @extend_schema(
        request=ObservationBulkSerializer,
        responses=BulkResultSerializer,
        description=(
            "Upsert up to 10,000 observations on metric + subject + period + source, all or "
            "nothing and idempotent: an identical current row is unchanged, a different value "
            "supersedes the current row (`updated`), a new key is created. Rows: metric (key), "
            "subject_type, subject_id (a person's external_id, or a workgroup's or pilot's id), "
            "period_start, period_end, value, source. On any bad row nothing is written: 400 "
            '`{"code": "invalid_rows", "errors": [{"index", "field", "message"}]}`.'
        ),
    )
    def post(self, request):
        if not isinstance(request.data, dict) or not isinstance(request.data.get("rows"), list):
            ObservationBulkSerializer(data=request.data).is_valid(raise_exception=True)
        result = observations_upsert(rows=request.data["rows"], by=writer_of(request))
        return Response(BulkResultSerializer(result.as_dict()).data)


def writer_of(request) -> Writer:
    """What new observations record of the request that wrote them."""
    client = client_of(request)
    if client is not None:
        return Writer(api_client_id=client.pk)
    return Writer(user_id=request.user.pk)


class BaselineViewSet(viewsets.ReadOnlyModelViewSet):
    """Frozen baselines, every version (the highest is in force; `in_force=true` for those)."""

    scope = "metrics"
    serializer_class = BaselineSerializer
    filterset_class = BaselineFilter
    ordering_fields = ["id", "frozen_at"]
    ordering = ["id"]

    def get_queryset(self):
        return visible(Baseline.objects.select_related("person", "metric"), self.request)


PROTECTED_DOC = (
    "Per active performance metric: the actual over the period, the frozen baseline in force, "
    "the protected value (the better of the two by the metric's direction) and whether "
    "protection applied. Protection runs from pilot start to pilot end plus the grace "
    "period; a period overlapping that window by a day is protected. The actual aggregates "
    "observations lying entirely inside the period."
)


class ProtectedMetricsView(APIView):
    scope = "metrics"

    @extend_schema(
        parameters=[
            OpenApiParameter("period_start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("period_end", OpenApiTypes.DATE, required=True),
        ],
        responses=inline_serializer(
            "ProtectedMetricList",
            {
                "count": serializers.IntegerField(),
                "next": serializers.CharField(allow_null=True),
                "previous": serializers.CharField(allow_null=True),
                "results": ProtectedMetricSerializer(many=True),
            },
        ),
        description=PROTECTED_DOC,
    )
    def get(self, request, external_id: str):
        person = get_object_or_404(Person, external_id=external_id)
        if client_of(request) is None and not can_read_metrics_of(request.user, person):
            # Same answer as an unknown person: nobody learns whose metrics exist.
            raise NotFound()
        period = PeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        rows = protected_metrics(person=person, **period.validated_data)
        data = ProtectedMetricSerializer(rows, many=True).data
        return Response({"count": len(data), "next": None, "previous": None, "results": data})

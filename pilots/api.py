"""Pilots and workgroups over the v1 API (scope "pilots"), on the same services, filters and
visibility as the pages. Machine clients with `pilots:read` read the whole organisation but
never write: a pilot is sponsored, started and stopped by a person who answers for it, and a
token acts for no one, so its writes get a clear 403."""

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core.api import ValidatedInput
from core.serializers import HistoryEntrySerializer, HistoryPageSerializer
from hrapi.permissions import HasScopeOrUserPermission, WritesNeedAPerson, client_of, visible
from pilots import services, workgroups
from pilots.filters import PilotFilter, WorkgroupFilter
from pilots.models import Pilot, Workgroup
from pilots.selectors import pilot_history
from pilots.serializers import (
    PilotDecideSerializer,
    PilotMoveSerializer,
    PilotSerializer,
    PilotStartSerializer,
    PilotWriteSerializer,
    WorkgroupCreateSerializer,
    WorkgroupSerializer,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `{code, message, fields}`."),
    403: OpenApiResponse(description="Not the pilot's sponsor (or a leader), or a machine client."),
    404: OpenApiResponse(description="No such pilot, or not one you may see."),
    409: OpenApiResponse(description="The pilot is not in a state that allows this move."),
}


HISTORY_DOC = (
    "Every change of the pilot and of its workgroups, members, ties, competing initiatives, "
    "charters, decisions and frozen baselines, newest first: when (`at`), who (`actor`: a "
    "user, an API client or the system), what (`subject`, `action`, each change `from` → "
    "`to`) and why (`reason`). Anyone who may see the pilot may read its history; baseline "
    "figures only as the baselines endpoint shows them (the sponsor, portfolio leaders, HR "
    "admins and `metrics:read` clients all, a supervisor their own)."
)


def _documented(request, response, description: str, created: bool = False):
    return extend_schema(
        request=request,
        responses={201 if created else 200: response, **ERRORS},
        description=description,
    )


class _PilotsViewSet(ValidatedInput, viewsets.GenericViewSet):
    scope = "pilots"
    permission_classes = [HasScopeOrUserPermission, WritesNeedAPerson]
    person_writes_message = (
        "Pilots are set up and moved by their sponsor in a personal session; API clients may "
        "only read them."
    )


@extend_schema_view(
    list=extend_schema(
        description="Pilots you may see, newest first, with their workgroups; filter by "
        "status, approach and sponsor (external_id).",
        responses={200: PilotSerializer(many=True), 400: ERRORS[400]},
    ),
    retrieve=extend_schema(
        description="One pilot with its workgroups, supervisors and members (external_ids).",
        responses={200: PilotSerializer, 404: ERRORS[404]},
    ),
)
class PilotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _PilotsViewSet):
    serializer_class = PilotSerializer
    filterset_class = PilotFilter
    ordering_fields = ["created_at", "planned_start", "name"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return visible(Pilot.objects.for_page(), self.request)

    def _answer(self, pilot: Pilot, code: int = status.HTTP_200_OK) -> Response:
        return Response(PilotSerializer(self.get_queryset().get(pk=pilot.pk)).data, status=code)

    @_documented(
        PilotWriteSerializer,
        PilotSerializer,
        "Set up a draft pilot (leaders). You sponsor it, unless a portfolio leader names "
        "another `sponsor` by external_id. `status` and other read-only keys are ignored.",
        created=True,
    )
    def create(self, request):
        data = self.validated_input(PilotWriteSerializer)
        pilot = services.pilot_create(by=request.user, **data)
        return self._answer(pilot, status.HTTP_201_CREATED)

    @_documented(
        PilotWriteSerializer,
        PilotSerializer,
        "Change a draft or approved pilot (its sponsor). `status`, `sponsor` and timestamps "
        "are ignored: they change only through the lifecycle actions.",
    )
    def partial_update(self, request, pk=None):
        pilot = self.get_object()
        data = self.validated_input(PilotWriteSerializer, partial=True)
        data.pop("sponsor", None)  # set once, at creation
        services.pilot_update(pilot=pilot, by=request.user, data=data)
        return self._answer(pilot)

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses={200: HistoryPageSerializer, 404: ERRORS[404]},
        description=HISTORY_DOC,
    )
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        from metrics.selectors import pilot_baselines_for

        pilot = get_object_or_404(visible(Pilot.objects.select_related("sponsor"), request), pk=pk)
        baselines = pilot_baselines_for(pilot, user=request.user, client=client_of(request))
        page = self.paginate_queryset(pilot_history(pilot, baselines=baselines))
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)

    @_documented(PilotMoveSerializer, PilotSerializer, "Approve a draft pilot (its sponsor).")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        pilot = self.get_object()
        services.pilot_approve(
            pilot=pilot, by=request.user, **self.validated_input(PilotMoveSerializer)
        )
        return self._answer(pilot)

    @_documented(
        PilotStartSerializer,
        PilotSerializer,
        "Start an approved pilot: every charter signed and assured, every person free of "
        "other running pilots; freezes the supervisors' baselines (missing data is a 400 "
        "`baseline_missing_data` unless `override_reason` is given).",
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        pilot = self.get_object()
        services.pilot_start(
            pilot=pilot, by=request.user, **self.validated_input(PilotStartSerializer)
        )
        return self._answer(pilot)

    @_documented(PilotMoveSerializer, PilotSerializer, "Begin the review of a running pilot.")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        pilot = self.get_object()
        services.pilot_review(
            pilot=pilot, by=request.user, **self.validated_input(PilotMoveSerializer)
        )
        return self._answer(pilot)

    @_documented(
        PilotMoveSerializer,
        PilotSerializer,
        "Stop the pilot. Before its patience horizon a `reason` is required and the stop is "
        "counted as premature.",
    )
    @action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        pilot = self.get_object()
        services.pilot_stop(
            pilot=pilot, by=request.user, **self.validated_input(PilotMoveSerializer)
        )
        return self._answer(pilot)

    @_documented(
        PilotDecideSerializer,
        PilotSerializer,
        "Record the decision at review: `scale` (with `spread_to` org unit external_ids), "
        "`adapt` (back to running) or `stop`, with the lessons learned.",
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        pilot = self.get_object()
        services.pilot_decide(
            pilot=pilot, by=request.user, **self.validated_input(PilotDecideSerializer)
        )
        return self._answer(pilot)


@extend_schema_view(
    list=extend_schema(
        description="Workgroups of the pilots you may see; filter by pilot or supervisor.",
        responses={200: WorkgroupSerializer(many=True), 400: ERRORS[400]},
    ),
    retrieve=extend_schema(
        description="One workgroup with its supervisor and members (external_ids).",
        responses={200: WorkgroupSerializer, 404: ERRORS[404]},
    ),
)
class WorkgroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _PilotsViewSet):
    serializer_class = WorkgroupSerializer
    filterset_class = WorkgroupFilter
    ordering_fields = ["name", "created_at"]
    ordering = ["pilot_id", "name", "id"]

    def get_queryset(self):
        return visible(
            Workgroup.objects.select_related("supervisor", "charter").prefetch_related(
                "memberships__person", "ties", "competing_initiatives"
            ),
            self.request,
        )

    @_documented(
        WorkgroupCreateSerializer,
        WorkgroupSerializer,
        "Add a workgroup (with its unsigned charter) to a draft or approved pilot you sponsor.",
        created=True,
    )
    def create(self, request):
        data = self.validated_input(WorkgroupCreateSerializer)
        pilot = get_object_or_404(visible(Pilot.objects.all(), request), pk=data.pop("pilot"))
        workgroup = workgroups.workgroup_create(pilot=pilot, by=request.user, **data)
        return Response(
            WorkgroupSerializer(self.get_queryset().get(pk=workgroup.pk)).data,
            status=status.HTTP_201_CREATED,
        )

"""Cycles and opportunities over the v1 API (scope "pilots"), on the same services and
visibility as the pages: supervisors write their own groups' cycles; sponsors and portfolio
leaders read; anyone else gets a 404. Machine clients with `pilots:read` read the whole
organisation, but never write: a cycle is the supervisor's own record, written in their
session, so a token (which acts for no supervisor) gets a clear 403."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from coaching import services
from coaching.filters import CycleFilter, OpportunityFilter
from coaching.models import Cycle, Opportunity, workgroups_in_coaching_view
from coaching.serializers import (
    CompleteStageSerializer,
    CycleActionCreateSerializer,
    CycleActionSerializer,
    CycleAdaptationSerializer,
    CycleDataSerializer,
    CycleReflectionSerializer,
    CycleSerializer,
    CycleStartSerializer,
    OpportunityAddressSerializer,
    OpportunityCreateSerializer,
    OpportunitySerializer,
    ReasonSerializer,
)
from core.api import ValidatedInput
from hrapi.permissions import HasScopeOrUserPermission, WritesNeedAPerson, visible

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `{code, message, fields}`."),
    403: OpenApiResponse(
        description="Not the workgroup's supervisor, or a machine client writing."
    ),
    404: OpenApiResponse(description="No such cycle, or not one you may see."),
    409: OpenApiResponse(
        description="The cycle is not at the right stage (skip, reopen, already closed)."
    ),
}


def _writes(request_serializer, response, description: str, created: bool = False):
    return extend_schema(
        request=request_serializer,
        responses={201 if created else 200: response, **ERRORS},
        description=description,
    )


class _CoachingViewSet(
    ValidatedInput, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scope = "pilots"
    permission_classes = [HasScopeOrUserPermission, WritesNeedAPerson]
    person_writes_message = (
        "Coaching cycles and opportunities are written by the workgroup's supervisor in "
        "their own session; API clients may only read them."
    )
    # Ids are integers: anything else is a 404 from the router, never a ValueError later.
    lookup_value_regex = r"[0-9]+"

    def _visible_cycle(self, pk) -> Cycle:
        return get_object_or_404(visible(Cycle.objects.all(), self.request), pk=pk)


@extend_schema_view(
    list=extend_schema(
        description="Cycles you may read, newest first; filter by workgroup, pilot or stage."
    ),
    retrieve=extend_schema(description="One cycle with its stages, timestamps and actions."),
)
class CycleViewSet(_CoachingViewSet):
    serializer_class = CycleSerializer
    filterset_class = CycleFilter
    ordering_fields = ["started_at", "number"]
    ordering = ["-started_at", "-id"]

    def get_queryset(self):
        return visible(
            Cycle.objects.select_related("workgroup", "previous").prefetch_related(
                "actions__owner", "observations"
            ),
            self.request,
        )

    def _answer(self, cycle: Cycle, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.serializer_class(self.get_queryset().get(pk=cycle.pk)).data, code)

    @_writes(
        CycleStartSerializer,
        CycleSerializer,
        "Start the workgroup's next cycle (its supervisor only, while the pilot runs). It "
        "starts from the last completed cycle's `changes_next` (`starting_point`).",
        created=True,
    )
    def create(self, request):
        data = self.validated_input(CycleStartSerializer)
        workgroup = get_object_or_404(
            workgroups_in_coaching_view(request.user), pk=data["workgroup"]
        )
        cycle = services.cycle_start(workgroup=workgroup, by=request.user)
        return self._answer(cycle, status.HTTP_201_CREATED)

    @_writes(CycleDataSerializer, CycleSerializer, "Save the data stage (only during it).")
    @action(detail=True, methods=["post"])
    def data(self, request, pk=None):
        cycle = self._visible_cycle(pk)
        services.cycle_save_data(
            cycle=cycle, by=request.user, **self.validated_input(CycleDataSerializer)
        )
        return self._answer(cycle)

    @_writes(
        CycleActionCreateSerializer,
        CycleActionSerializer,
        "Add an action, tagged task or relationship work (only during the action stage).",
        created=True,
    )
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        cycle = self._visible_cycle(pk)
        added = services.cycle_add_action(
            cycle=cycle, by=request.user, **self.validated_input(CycleActionCreateSerializer)
        )
        return Response(CycleActionSerializer(added).data, status=status.HTTP_201_CREATED)

    @_writes(CycleReflectionSerializer, CycleSerializer, "Save the reflection stage.")
    @action(detail=True, methods=["post"])
    def reflection(self, request, pk=None):
        cycle = self._visible_cycle(pk)
        data = self.validated_input(CycleReflectionSerializer)
        services.cycle_save_reflection(cycle=cycle, by=request.user, **data)
        return self._answer(cycle)

    @_writes(CycleAdaptationSerializer, CycleSerializer, "Save the adaptation stage.")
    @action(detail=True, methods=["post"])
    def adaptation(self, request, pk=None):
        cycle = self._visible_cycle(pk)
        data = self.validated_input(CycleAdaptationSerializer)
        services.cycle_save_adaptation(cycle=cycle, by=request.user, **data)
        return self._answer(cycle)

    @_writes(
        CompleteStageSerializer,
        CycleSerializer,
        "Close the current stage and move to the next (data → action → reflection → "
        "adaptation → completed). A stage cannot be skipped or reopened (409); a stage "
        "missing its content is a 400 `stage_incomplete`.",
    )
    @action(detail=True, methods=["post"], url_path="complete-stage")
    def complete_stage(self, request, pk=None):
        cycle = self._visible_cycle(pk)
        stage = self.validated_input(CompleteStageSerializer).get("stage")
        services.cycle_complete_stage(cycle=cycle, by=request.user, stage=stage)
        return self._answer(cycle)

    @_writes(ReasonSerializer, CycleSerializer, "Abandon an open cycle, with a reason.")
    @action(detail=True, methods=["post"])
    def abandon(self, request, pk=None):
        cycle = self._visible_cycle(pk)
        services.cycle_abandon(
            cycle=cycle, by=request.user, **self.validated_input(ReasonSerializer)
        )
        return self._answer(cycle)


@extend_schema_view(
    list=extend_schema(
        description="Opportunities you may read, newest first; filter by "
        "workgroup, pilot, status or the cycle that found them."
    ),
    retrieve=extend_schema(description="One opportunity with its estimated and realised values."),
)
class OpportunityViewSet(_CoachingViewSet):
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter
    ordering_fields = ["found_at", "addressed_at"]
    ordering = ["-found_at", "-id"]

    def get_queryset(self):
        return visible(Opportunity.objects.select_related("workgroup"), self.request)

    def _answer(self, opportunity, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=opportunity.pk)
        return Response(self.serializer_class(fresh).data, status=code)

    @_writes(
        OpportunityCreateSerializer,
        OpportunitySerializer,
        "Record an opportunity an open cycle found, with first estimates.",
        created=True,
    )
    def create(self, request):
        data = self.validated_input(OpportunityCreateSerializer)
        cycle = self._visible_cycle(data.pop("cycle"))
        return self._answer(
            services.opportunity_add(cycle=cycle, by=request.user, **data),
            status.HTTP_201_CREATED,
        )

    @_writes(
        OpportunityAddressSerializer,
        OpportunitySerializer,
        "Mark a found opportunity addressed with what it realised (found → addressed only).",
    )
    @action(detail=True, methods=["post"])
    def address(self, request, pk=None):
        opportunity = self.get_object()
        data = self.validated_input(OpportunityAddressSerializer)
        cycle_id = data.pop("cycle")
        cycle = self._visible_cycle(cycle_id) if cycle_id else None
        services.opportunity_address(opportunity=opportunity, by=request.user, cycle=cycle, **data)
        return self._answer(opportunity)

    @_writes(ReasonSerializer, OpportunitySerializer, "Drop a found opportunity, with a reason.")
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        opportunity = self.get_object()
        services.opportunity_drop(
            opportunity=opportunity, by=request.user, **self.validated_input(ReasonSerializer)
        )
        return self._answer(opportunity)

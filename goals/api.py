"""Goals over the v1 API (`/api/v1/goals/`): the tree (parent, children, depth and path),
filters by org unit and period, the pilots serving each goal, and progress. Machine clients
read with `goals:read`; goals are set by people who answer for them, in their own session
(the rules are in goals/permissions.py)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core.api import ValidatedInput
from goals import services
from goals.filters import GoalFilter
from goals.models import Goal, GoalContribution
from goals.progress import progress_book
from goals.serializers import ContributionWriteSerializer, GoalSerializer, GoalWriteSerializer
from hrapi.permissions import HasScopeOrUserPermission, WritesNeedAPerson, visible
from pilots.models import Pilot

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `{code, message, fields}`."),
    403: OpenApiResponse(description="You may not manage goals of this org unit."),
    404: OpenApiResponse(description="No such goal, or not one you may see."),
    409: OpenApiResponse(description="The goal has sub-goals (on delete)."),
}


@extend_schema_view(
    list=extend_schema(
        description="Goals in tree order (depth first), each with its parent, depth, path "
        "from the root and children ids, its contributes-to links, the pilots serving it and "
        "its progress. Filter by org unit (with the units below it), period, level, parent, "
        "owner or pilot.",
        responses={200: GoalSerializer(many=True), 400: ERRORS[400]},
    ),
    retrieve=extend_schema(responses={200: GoalSerializer, 404: ERRORS[404]}),
    destroy=extend_schema(
        description="Delete a goal without sub-goals (a manager of its org unit).",
        responses={204: None, 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409]},
    ),
)
class GoalViewSet(
    ValidatedInput,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    scope = "goals"
    permission_classes = [HasScopeOrUserPermission, WritesNeedAPerson]
    person_writes_message = (
        "Goals are set by people in their own session; API clients may only read them."
    )
    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    ordering_fields = ["title", "period_start", "period_end", "created_at"]
    lookup_value_regex = "[0-9]{1,18}"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return visible(Goal.objects.with_tree_fields().for_list(), self.request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["progress"] = progress_book()
        return context

    def _input(self, serializer_class, **kwargs) -> dict:
        """The body, validated, with its pilot (if any) one the caller may see."""
        data = self.validated_input(serializer_class, **kwargs)
        if data.get("pilot") is not None:
            data["pilot"] = get_object_or_404(
                visible(Pilot.objects.all(), self.request), pk=data["pilot"]
            )
        return data

    def _answer(self, goal: Goal, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=goal.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        request=GoalWriteSerializer,
        responses={201: GoalSerializer, 400: ERRORS[400], 403: ERRORS[403]},
        description="Set a goal (HR admins and portfolio leaders anywhere; the head of an org "
        "unit for that unit and the units below it).",
    )
    def create(self, request):
        goal = services.goal_create(by=request.user, **self._input(GoalWriteSerializer))
        return self._answer(goal, status.HTTP_201_CREATED)

    @extend_schema(
        request=GoalWriteSerializer,
        responses={200: GoalSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
        description="Change a goal; only the keys sent change.",
    )
    def partial_update(self, request, pk=None):
        goal = self.get_object()
        data = self._input(GoalWriteSerializer, partial=True)
        services.goal_update(goal=goal, by=request.user, data=data)
        return self._answer(goal)

    def perform_destroy(self, instance):
        services.goal_delete(goal=instance, by=self.request.user)

    @extend_schema(
        request=ContributionWriteSerializer,
        responses={200: GoalSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
        description="Link this goal to a goal outside its branch that it also moves, with a "
        "weight (0.01–100 %); sending the same link again updates its weight.",
    )
    @action(detail=True, methods=["post"])
    def contributions(self, request, pk=None):
        goal = self.get_object()
        data = self._input(ContributionWriteSerializer)
        to_goal = get_object_or_404(self.get_queryset(), pk=data["to_goal"])
        services.contribution_add(
            from_goal=goal, to_goal=to_goal, weight=data["weight"], by=request.user
        )
        return self._answer(goal)

    @extend_schema(
        request=None,
        responses={204: None, 403: ERRORS[403], 404: ERRORS[404]},
        description="Remove this goal's contributes-to link to the goal `to_goal`.",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"contributions/(?P<to_goal>[0-9]{1,18})",
        url_name="contribution",
    )
    def contribution_remove(self, request, pk=None, to_goal=None):
        goal = self.get_object()
        link = get_object_or_404(GoalContribution, from_goal=goal, to_goal_id=int(to_goal))
        services.contribution_remove(contribution=link, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

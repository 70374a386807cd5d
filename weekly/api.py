"""Weekly splits over the v1 API (`/api/v1/weekly-splits/`). HR systems read them with
`people:read`; a supervisor records and corrects their own weeks in their own session
(POST records a week, again the same week changes it; PATCH changes one entry)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core.api import ValidatedInput
from core.errors import NotAllowed
from hrapi.permissions import HasScopeOrUserPermission, WritesNeedAPerson, visible
from weekly.filters import WeeklySplitFilter
from weekly.models import WeeklySplit
from weekly.serializers import (
    WeeklySplitPatchSerializer,
    WeeklySplitSerializer,
    WeeklySplitWriteSerializer,
)
from weekly.services import split_record

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `{code, message, fields}`."),
    403: OpenApiResponse(description="Not a supervisor recording their own week."),
    404: OpenApiResponse(description="No such entry, or not one you may see."),
    409: OpenApiResponse(description="`week_closed`: the week ended more than a week ago."),
}


@extend_schema_view(
    list=extend_schema(
        description="Weekly splits you may read, newest week first; filter by person "
        "(external_id), week (its Monday) or a range of weeks.",
        responses={200: WeeklySplitSerializer(many=True), 400: ERRORS[400]},
    ),
    retrieve=extend_schema(responses={200: WeeklySplitSerializer, 404: ERRORS[404]}),
)
class WeeklySplitViewSet(
    ValidatedInput, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scope = "people"
    permission_classes = [HasScopeOrUserPermission, WritesNeedAPerson]
    person_writes_message = (
        "Supervisors record their own week in their own session; API clients only read."
    )
    serializer_class = WeeklySplitSerializer
    filterset_class = WeeklySplitFilter
    ordering_fields = ["week", "created_at", "updated_at"]
    ordering = ["-week", "person_id", "id"]
    lookup_value_regex = "[0-9]{1,18}"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return visible(WeeklySplit.objects.with_person(), self.request)

    @extend_schema(
        request=WeeklySplitWriteSerializer,
        responses={201: WeeklySplitSerializer, 200: WeeklySplitSerializer, **ERRORS},
        description="Record your own week (201), or change it while it is open (200).",
    )
    def create(self, request):
        data = self.validated_input(WeeklySplitWriteSerializer)
        person = getattr(request.user, "person", None)
        if person is None:
            raise NotAllowed("Supervisors record their own week in their own session.")
        entry, created = split_record(person=person, by=request.user, **data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(WeeklySplitSerializer(entry).data, status=code)

    @extend_schema(
        request=WeeklySplitPatchSerializer,
        responses={200: WeeklySplitSerializer, **ERRORS},
        description="Change your own entry while its week is open.",
    )
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        data = self.validated_input(WeeklySplitPatchSerializer)
        entry, _ = split_record(
            person=entry.person,
            week=entry.week,
            strategic_percent=data.get("strategic_percent", entry.strategic_percent),
            note=data.get("note", entry.note),
            by=request.user,
        )
        return Response(WeeklySplitSerializer(entry).data)

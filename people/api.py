"""People and org units over the v1 API: CRUD keyed by external_id, and bulk upserts.

Machine clients need `people:read` / `people:write`; logged-in people may read the
directory, HR admins may write. DELETE deactivates (204) and the row stays readable with
`active: false`, so pilots, baselines and history keep pointing at it.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core.api_writes import PATCH_DOC, PUT_DOC, ConditionalMixin, require_every_field
from core.roles import is_hr_admin
from core.serializers import HistoryEntrySerializer, HistoryPageSerializer
from hrapi.permissions import HasScopeOrUserPermission, HumanWritesNeedHrAdmin, client_of, visible
from people import services
from people.filters import OrgUnitFilter, PersonFilter
from people.models import OrgUnit, Person
from people.selectors import person_history
from people.serializers import (
    BulkResultSerializer,
    OrgUnitBulkSerializer,
    OrgUnitCreateSerializer,
    OrgUnitSerializer,
    OrgUnitUpdateSerializer,
    PersonBulkSerializer,
    PersonCreateSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
)

EXTERNAL_ID = r"[^/]+"


class _ExternalIdViewSet(
    ConditionalMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    scope = "people"
    permission_classes = [HasScopeOrUserPermission, HumanWritesNeedHrAdmin]
    lookup_field = "external_id"
    lookup_value_regex = EXTERNAL_ID
    ordering_fields = ["external_id", "updated_at"]
    ordering = ["external_id"]
    write_serializer_class = create_serializer_class = None
    # What a PUT must name: the contract's fields (the key is in the URL).
    put_fields: tuple[str, ...] = ()
    # (upsert, create, update, deactivate) services, set by each resource
    upsert = create_one = update_one = deactivate = None

    def get_serializer_class(self):
        if self.action == "create":
            return self.create_serializer_class
        if self.action in ("update", "partial_update"):
            return self.write_serializer_class
        return self.serializer_class

    def create(self, request, *args, **kwargs):
        data = self._valid_input(request)
        obj = type(self).create_one(data=data)
        return Response(self.serializer_class(obj).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        obj = self.get_object()
        require_every_field(request, self.put_fields)
        data = self._valid_input(request, partial=kwargs.get("partial", False), instance=obj)
        obj = type(self).update_one(obj, data)
        return Response(self.serializer_class(self.get_queryset().get(pk=obj.pk)).data)

    def perform_destroy(self, instance):
        type(self).deactivate(instance)

    def _valid_input(self, request, partial=False, instance=None) -> dict:
        serializer_class = self.write_serializer_class if instance else self.create_serializer_class
        serializer = serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if instance is not None:
            return {**serializer.validated_data, "external_id": instance.external_id}
        return dict(serializer.validated_data)

    def _bulk(self, request, bulk_serializer):
        if not isinstance(request.data, dict) or not isinstance(request.data.get("rows"), list):
            # Validate through the serializer for the standard field error shape.
            bulk_serializer(data=request.data).is_valid(raise_exception=True)
        result = type(self).upsert(rows=request.data["rows"])
        return Response(BulkResultSerializer(result.counts()).data)


BULK_DOC = (
    "Upsert up to 10,000 rows by external_id, all or nothing and idempotent. Rows may name "
    "parents or managers defined in the same batch, in any order. Keys left out of a row keep "
    "their current value. On any bad row nothing is written and the answer is 400 "
    '`{"code": "invalid_rows", "errors": [{"index", "field", "message"}]}`.'
)


LISTED_PERSON_FIELDS = (
    "external_id",
    "full_name",
    "email",
    "active",
    "updated_at",
    "user_id",
    "org_unit__external_id",
    "manager__external_id",
)


@extend_schema_view(
    update=extend_schema(description=PUT_DOC),
    partial_update=extend_schema(description=PATCH_DOC),
    destroy=extend_schema(description="Deactivates the org unit (`active: false`); 204."),
)
class OrgUnitViewSet(_ExternalIdViewSet):
    serializer_class = OrgUnitSerializer
    write_serializer_class = OrgUnitUpdateSerializer
    create_serializer_class = OrgUnitCreateSerializer
    filterset_class = OrgUnitFilter
    put_fields = ("name", "parent_external_id")
    upsert = staticmethod(services.org_units_upsert)
    create_one = staticmethod(lambda data: services.org_unit_create(data=data))
    update_one = staticmethod(lambda obj, data: services.org_unit_update(org_unit=obj, data=data))
    deactivate = staticmethod(lambda obj: services.org_unit_deactivate(org_unit=obj))

    def get_queryset(self):
        return visible(OrgUnit.objects.with_parent(), self.request)

    @extend_schema(
        request=OrgUnitBulkSerializer, responses=BulkResultSerializer, description=BULK_DOC
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        return self._bulk(request, OrgUnitBulkSerializer)


@extend_schema_view(
    update=extend_schema(description=PUT_DOC),
    partial_update=extend_schema(description=PATCH_DOC),
    destroy=extend_schema(
        description="Deactivates the person (`active: false`) and keeps their history; 204. "
        "The person stays readable."
    ),
)
class PersonViewSet(_ExternalIdViewSet):
    serializer_class = PersonSerializer
    write_serializer_class = PersonUpdateSerializer
    create_serializer_class = PersonCreateSerializer
    filterset_class = PersonFilter
    put_fields = ("full_name", "email", "org_unit_external_id", "manager_external_id", "active")
    ordering_fields = ["external_id", "full_name", "updated_at"]
    upsert = staticmethod(services.people_upsert)
    create_one = staticmethod(lambda data: services.person_create(data=data))
    update_one = staticmethod(lambda obj, data: services.person_update(person=obj, data=data))
    deactivate = staticmethod(lambda obj: services.person_deactivate(person=obj))

    def get_queryset(self):
        people = Person.objects.select_related("org_unit", "manager")
        if self.action == "list":  # what PersonSerializer writes, and the user it masks for
            people = people.only(*LISTED_PERSON_FIELDS)
        return visible(people, self.request)

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses={200: HistoryPageSerializer},
        description="Every change of the person's record, newest first: when (`at`), who "
        "(`actor`: a user, an API client or the system), each change `from` → `to`, and why "
        "(`reason`, e.g. for a new login). HR admins and clients with `people:read` only.",
    )
    @action(detail=True, methods=["get"])
    def history(self, request, external_id=None):
        if client_of(request) is None and not is_hr_admin(request.user):
            raise PermissionDenied("Only HR admins read a person's history.")
        person = get_object_or_404(self.get_queryset(), external_id=external_id)
        page = self.paginate_queryset(person_history(person))
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)

    @extend_schema(
        request=PersonBulkSerializer, responses=BulkResultSerializer, description=BULK_DOC
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        return self._bulk(request, PersonBulkSerializer)

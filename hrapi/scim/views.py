"""SCIM 2.0 endpoints: discovery, Users (people) and Groups (org units).

Bearer tokens with the `scim` scope only; bodies in and out as application/scim+json (plain
application/json is accepted too); every error in the SCIM error shape.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from hrapi.authentication import BearerTokenAuthentication
from hrapi.permissions import client_of
from hrapi.scim import discovery, services
from hrapi.scim.errors import ScimError, bad_request, scim_exception_handler
from hrapi.scim.filters import parse, to_q
from hrapi.scim.patch import apply_patch
from hrapi.scim.resources import (
    ENTERPRISE,
    GROUP,
    GROUP_FIELDS,
    GROUP_SORT,
    LIST,
    USER,
    USER_FIELDS,
    USER_SORT,
    group_input,
    group_representation,
    project,
    user_input,
    user_representation,
    version,
)
from people.models import OrgUnit, Person

SCIM_MEDIA_TYPE = "application/scim+json"


class ScimJSONParser(JSONParser):
    media_type = SCIM_MEDIA_TYPE


class ScimJSONRenderer(JSONRenderer):
    media_type = SCIM_MEDIA_TYPE


class AlwaysScim(BaseContentNegotiation):
    """SCIM answers in application/scim+json whatever the Accept header says."""

    def select_parser(self, request, parsers):
        content_type = request.content_type.split(";")[0].strip().lower()
        return next((p for p in parsers if p.media_type == content_type), None)

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class HasScimScope(BasePermission):
    message = "This token does not have the scim scope."

    def has_permission(self, request, view):
        client = client_of(request)
        return client is not None and client.has_scope("scim")


@extend_schema(exclude=True)
class ScimView(APIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasScimScope]
    parser_classes = [ScimJSONParser, JSONParser]
    renderer_classes = [ScimJSONRenderer]
    content_negotiation_class = AlwaysScim

    def get_exception_handler(self):
        return scim_exception_handler

    def base(self) -> str:
        return self.request.build_absolute_uri("/scim/v2").rstrip("/")

    def resource_base(self) -> str:
        return self.request.build_absolute_uri("/").rstrip("/")

    def projected(self, resource: dict) -> dict:
        params = self.request.query_params
        return project(resource, params.get("attributes"), params.get("excludedAttributes"))


def _int_param(request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise bad_request(f"{name} must be an integer.") from exc


class ListMixin:
    fields: dict
    sort_fields: dict
    schemas: list[str]

    def list_response(self, queryset):
        request = self.request
        if request.query_params.get("filter") is not None:
            query = to_q(parse(request.query_params["filter"]), self.fields, self.schemas)
            queryset = queryset.filter(query).distinct()
        queryset = queryset.order_by(*self._ordering())
        # RFC 7644 §3.4.2.4: startIndex below 1 means 1; a negative count means 0.
        start = max(_int_param(request, "startIndex", 1), 1)
        count = min(max(_int_param(request, "count", 100), 0), discovery.MAX_RESULTS)
        total = queryset.count()
        page = list(queryset[start - 1 : start - 1 + count]) if count else []
        return Response(
            {
                "schemas": [LIST],
                "totalResults": total,
                "startIndex": start,
                "itemsPerPage": len(page),
                "Resources": [self.projected(self.render(obj)) for obj in page],
            }
        )

    def _ordering(self) -> list[str]:
        sort_by = self.request.query_params.get("sortBy")
        if not sort_by:
            return ["pk"]
        field = self.sort_fields.get(sort_by.lower().removeprefix(self.schemas[0].lower() + ":"))
        if field is None:
            raise bad_request(f"Sorting by {sort_by!r} is not supported.", "invalidValue")
        descending = self.request.query_params.get("sortOrder", "").lower() == "descending"
        return [f"-{field}" if descending else field, "pk"]


def _one(queryset, pk: str):
    obj = queryset.filter(pk=int(pk)).first() if pk.isdigit() else None
    if obj is None:
        raise ScimError(404, f"Resource {pk} not found.")
    return obj


class UserMixin(ListMixin):
    fields, sort_fields, schemas = USER_FIELDS, USER_SORT, [USER, ENTERPRISE]

    def queryset(self):
        return Person.objects.provisioned().with_relations()

    def render(self, person) -> dict:
        return user_representation(person, self.resource_base())

    def answer(self, person, status=200) -> Response:
        response = Response(self.projected(self.render(person)), status=status)
        response["ETag"] = version(person)
        if status == 201:
            response["Location"] = self.render(person)["meta"]["location"]
        return response


class GroupMixin(ListMixin):
    fields, sort_fields, schemas = GROUP_FIELDS, GROUP_SORT, [GROUP]

    def queryset(self):
        queryset = OrgUnit.objects.filter(active=True)
        excluded = (self.request.query_params.get("excludedAttributes") or "").lower()
        if "members" in excluded:
            return queryset
        return queryset.prefetch_related(
            Prefetch(
                "people",
                queryset=Person.objects.provisioned().order_by("pk"),
                to_attr="scim_members",
            )
        )

    def render(self, unit) -> dict:
        members = getattr(unit, "scim_members", [])
        return group_representation(unit, members, self.resource_base())

    def answer(self, unit, status=200) -> Response:
        unit = self.queryset().get(pk=unit.pk)
        response = Response(self.projected(self.render(unit)), status=status)
        response["ETag"] = version(unit)
        if status == 201:
            response["Location"] = self.render(unit)["meta"]["location"]
        return response


class Users(UserMixin, ScimView):
    def get(self, request):
        return self.list_response(self.queryset())

    def post(self, request):
        person = services.scim_user_create(data=user_input(request.data))
        return self.answer(person, status=201)


class UserDetail(UserMixin, ScimView):
    def get(self, request, pk):
        return self.answer(_one(self.queryset(), pk))

    def put(self, request, pk):
        person = _one(self.queryset(), pk)
        return self.answer(services.scim_user_replace(person=person, data=user_input(request.data)))

    def patch(self, request, pk):
        person = _one(self.queryset(), pk)
        patched = apply_patch(user_representation(person, self.resource_base()), request.data)
        return self.answer(services.scim_user_replace(person=person, data=user_input(patched)))

    def delete(self, request, pk):
        services.scim_user_delete(person=_one(self.queryset(), pk))
        return Response(status=204)


class Groups(GroupMixin, ScimView):
    def get(self, request):
        return self.list_response(self.queryset())

    def post(self, request):
        return self.answer(services.scim_group_create(data=group_input(request.data)), 201)


class GroupDetail(GroupMixin, ScimView):
    def get(self, request, pk):
        return self.answer(_one(self.queryset(), pk))

    def put(self, request, pk):
        unit = _one(self.queryset(), pk)
        return self.answer(services.scim_group_replace(unit=unit, data=group_input(request.data)))

    def patch(self, request, pk):
        unit = _one(self.full_queryset(), pk)
        patched = apply_patch(self.render(unit), request.data)
        return self.answer(services.scim_group_replace(unit=unit, data=group_input(patched)))

    def delete(self, request, pk):
        services.scim_group_delete(unit=_one(OrgUnit.objects.filter(active=True), pk))
        return Response(status=204)

    def full_queryset(self):
        """PATCH works on the whole member list, whatever excludedAttributes says."""
        return OrgUnit.objects.filter(active=True).prefetch_related(
            Prefetch(
                "people",
                queryset=Person.objects.provisioned().order_by("pk"),
                to_attr="scim_members",
            )
        )


class ServiceProviderConfig(ScimView):
    def get(self, request):
        return Response(discovery.service_provider_config(self.base()))


class ResourceTypes(ScimView):
    def get(self, request, name=None):
        types = discovery.resource_types(self.base())
        if name is not None:
            if name not in types:
                raise ScimError(404, f"No resource type {name}.")
            return Response(types[name])
        return _list_of(list(types.values()))


class Schemas(ScimView):
    def get(self, request, urn=None):
        if urn is not None:
            if urn not in discovery.SCHEMA_DOCS:
                raise ScimError(404, f"No schema {urn}.")
            return Response(discovery.schema_document(urn, self.base()))
        return _list_of([discovery.schema_document(u, self.base()) for u in discovery.SCHEMA_DOCS])


def _list_of(resources: list) -> Response:
    return Response(
        {
            "schemas": [LIST],
            "totalResults": len(resources),
            "startIndex": 1,
            "itemsPerPage": len(resources),
            "Resources": resources,
        }
    )


class NotFound(ScimView):
    """Unknown paths under /scim/v2/ answer in the SCIM error shape."""

    def get(self, request, *args, **kwargs):
        raise ScimError(404, "No SCIM endpoint at this path.")

    post = put = patch = delete = get

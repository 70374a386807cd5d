"""SCIM 2.0 endpoints: discovery, Users (people) and Groups (access groups), each list also
as POST .search (RFC 7644 §3.4.3).

Bearer tokens with the `scim` scope only; bodies in and out as application/scim+json (plain
application/json is accepted too); every error in the SCIM error shape. Reads honour
`attributes` / `excludedAttributes`; single resources carry an ETag, and writes honour
If-Match (412 when stale).
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from scim2_models import (
    Context,
    InvalidSyntaxException,
    InvalidValueException,
    NotFoundException,
    PatchOp,
    ResponseParameters,
)

from core.api_guard import GuardedJSONParser
from core.filters import MAX_ID
from hrapi.authentication import BearerTokenAuthentication
from hrapi.models import AccessGroup, AccessGroupMembership
from hrapi.permissions import client_of
from hrapi.scim import discovery, services
from hrapi.scim.errors import scim_exception_handler
from hrapi.scim.filters import check_bounds, parse, to_q
from hrapi.scim.resources import (
    GROUP_COLUMNS,
    GROUP_SORT,
    USER_COLUMNS,
    USER_SORT,
    dump,
    group_payload,
    group_version,
    user_annotations,
    user_payload,
    user_version,
)
from hrapi.scim.schemas import ENTERPRISE, LIST, POLICY, SEARCH, Group, User
from people.models import Person

SCIM_MEDIA_TYPE = "application/scim+json"


class PlainJSONParser(GuardedJSONParser):
    """The API's guarded parser (nesting bounded, no NUL or lone surrogates)."""


class ScimJSONParser(PlainJSONParser):
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
    parser_classes = [ScimJSONParser, PlainJSONParser]
    renderer_classes = [ScimJSONRenderer]
    content_negotiation_class = AlwaysScim

    def get_exception_handler(self):
        return scim_exception_handler

    def base(self) -> str:
        return self.request.build_absolute_uri("/scim/v2").rstrip("/")

    def host(self) -> str:
        return self.request.build_absolute_uri("/").rstrip("/")

    def body(self) -> dict:
        data = self.request.data
        if not isinstance(data, dict):
            raise InvalidSyntaxException(detail="The body must be a JSON object.")
        return data

    def if_match(self) -> str | None:
        return self.request.headers.get("If-Match")


def _integer(raw, name: str, default: int) -> int:
    if raw in (None, ""):
        return default
    if isinstance(raw, bool):
        raise InvalidValueException(detail=f"{name} must be an integer.")
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise InvalidValueException(detail=f"{name} must be an integer.") from exc


class ListMixin:
    """One list for GET (query parameters) and POST .search (a SearchRequest body)."""

    model: type
    columns: dict
    sort_fields: dict
    base_urn: str

    def list_response(self, query: dict) -> Response:
        params = self.response_parameters(query)
        queryset = self.queryset(params)
        if query.get("filter") is not None:
            queryset = queryset.filter(
                to_q(parse(query["filter"], self.model), self.columns, ENTERPRISE)
            )
        queryset = queryset.order_by(*self._ordering(query))
        # RFC 7644 §3.4.2.4: startIndex below 1 means 1; a negative count means 0.
        start = max(_integer(query.get("startIndex"), "startIndex", 1), 1)
        count = min(max(_integer(query.get("count"), "count", 100), 0), discovery.MAX_RESULTS)
        total = queryset.count()
        page = list(queryset[start - 1 : start - 1 + count]) if count and start <= total else []
        return Response(
            {
                "schemas": [LIST],
                "totalResults": total,
                "startIndex": start,
                "itemsPerPage": len(page),
                "Resources": [dump(self.model, self.payload(obj), params) for obj in page],
            }
        )

    def response_parameters(self, query: dict) -> ResponseParameters | None:
        attributes, excluded = query.get("attributes"), query.get("excludedAttributes")
        if not attributes and not excluded:
            return None
        for text in (attributes, excluded):
            if text is not None and not isinstance(text, str | list):
                raise InvalidValueException(detail="attributes must be a list of attribute paths.")
            for path in [text] if isinstance(text, str) else text or []:
                check_bounds(str(path))
        return ResponseParameters[self.model].model_validate(
            {"attributes": attributes or None, "excludedAttributes": excluded or None}
        )

    def _ordering(self, query: dict) -> list[str]:
        sort_by = query.get("sortBy")
        if not sort_by:
            return ["pk"]
        key = str(sort_by).lower().removeprefix(self.base_urn.lower() + ":")
        field = self.sort_fields.get(key)
        if field is None:
            raise InvalidValueException(detail=f"Sorting by {sort_by!r} is not supported.")
        descending = str(query.get("sortOrder") or "").lower() == "descending"
        return [f"-{field}" if descending else field, "pk"]

    def search(self) -> Response:
        body = self.body()
        schemas = body.get("schemas")
        if schemas is not None and SEARCH not in (schemas if isinstance(schemas, list) else []):
            raise InvalidSyntaxException(detail=f"schemas must contain {SEARCH}.")
        return self.list_response(body)

    def one(self, pk: str, params=None):
        obj = self.queryset(params).filter(pk=_pk(pk)).first() if _pk(pk) else None
        if obj is None:
            raise NotFoundException(detail=f"Resource {pk} not found.")
        return obj

    def answer(self, obj, status: int = 200) -> Response:
        params = self.response_parameters(self.request.query_params)
        obj = self.one(str(obj.pk), params)
        payload = self.payload(obj)
        response = Response(dump(self.model, payload, params), status=status)
        response["ETag"] = payload["meta"]["version"]
        if status == 201:
            response["Location"] = payload["meta"]["location"]
        return response

    def patch_op(self, pk: int):
        body = self.body()
        operations = body.get("Operations", body.get("operations"))
        for operation in operations if isinstance(operations, list) else []:
            if isinstance(operation, dict):
                _bound_paths(operation)
                _drop_echoed_id(operation, pk)
        return PatchOp[self.model].model_validate(
            body, scim_ctx=Context.RESOURCE_PATCH_REQUEST, scim_policy=POLICY
        )

    def resource(self, context: Context):
        return self.model.model_validate(self.body(), scim_ctx=context, scim_policy=POLICY)


def _bound_paths(operation: dict) -> None:
    """A PATCH path, or a key of a path-less value, carries a filter: the same bounds."""
    path, value = operation.get("path"), operation.get("value")
    if isinstance(path, str):
        check_bounds(path)
    if path is None and isinstance(value, dict):
        for key in value:
            check_bounds(str(key))


def _drop_echoed_id(operation: dict, pk: int) -> None:
    """Okta renames a group with `{"op": "replace", "value": {"id": "7", "displayName": …}}`:
    an id equal to the resource's own changes nothing, so it is dropped; any other id is
    left for the read-only check to refuse."""
    value = operation.get("value")
    if operation.get("path") is None and isinstance(value, dict):
        for key in [k for k in value if isinstance(k, str) and k.lower() == "id"]:
            if str(value[key]) == str(pk):
                del value[key]


def _pk(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


class UserMixin(ListMixin):
    model, columns, sort_fields, base_urn = User, USER_COLUMNS, USER_SORT, User.__schema__

    def queryset(self, params=None):
        return (
            Person.objects.provisioned()
            .with_relations()
            .select_related("scim")
            .annotate(**user_annotations())
            .prefetch_related(
                "scim__emails",
                Prefetch(
                    "access_group_memberships",
                    queryset=AccessGroupMembership.objects.select_related("group").order_by(
                        "group_id"
                    ),
                ),
            )
        )

    def payload(self, person) -> dict:
        return user_payload(person, self.host())


class GroupMixin(ListMixin):
    model, columns, sort_fields, base_urn = Group, GROUP_COLUMNS, GROUP_SORT, Group.__schema__

    def queryset(self, params=None):
        self.with_members = _wants_members(params)
        queryset = AccessGroup.objects.all()
        if not self.with_members:
            return queryset
        members = AccessGroupMembership.objects.select_related("person").order_by("person_id")
        return queryset.prefetch_related(Prefetch("memberships", queryset=members))

    def payload(self, group) -> dict:
        return group_payload(group, self.host(), members=self.with_members)


def _wants_members(params: ResponseParameters | None) -> bool:
    """Members are read only when the answer shows them: large groups stay cheap to list."""
    if params is None:
        return True
    named = lambda paths: any(str(p).lower().split(".")[0].endswith("members") for p in paths)  # noqa: E731
    if params.attributes:
        return named(params.attributes)
    return not named(params.excluded_attributes or [])


class Users(UserMixin, ScimView):
    def get(self, request):
        return self.list_response(request.query_params)

    def post(self, request):
        user = self.resource(Context.RESOURCE_CREATION_REQUEST)
        return self.answer(services.scim_user_create(user=user), status=201)


class UserSearch(UserMixin, ScimView):
    def post(self, request):
        return self.search()


class UserDetail(UserMixin, ScimView):
    def get(self, request, pk):
        params = self.response_parameters(request.query_params)
        person = self.one(pk, params)
        payload = self.payload(person)
        response = Response(dump(User, payload, params))
        response["ETag"] = user_version(person)
        return response

    def put(self, request, pk):
        user = self.resource(Context.RESOURCE_REPLACEMENT_REQUEST)
        person = services.scim_user_replace(
            person_id=self._id(pk), user=user, if_match=self.if_match()
        )
        return self.answer(person)

    def patch(self, request, pk):
        patch = self.patch_op(self._id(pk))
        person = services.scim_user_patch(
            person_id=self._id(pk), patch=patch, if_match=self.if_match()
        )
        return self.answer(person)

    def delete(self, request, pk):
        services.scim_user_delete(person_id=self._id(pk), if_match=self.if_match())
        return Response(status=204)

    @staticmethod
    def _id(pk: str) -> int:
        if _pk(pk) is None:
            raise NotFoundException(detail=f"Resource {pk} not found.")
        return _pk(pk)


class Groups(GroupMixin, ScimView):
    def get(self, request):
        return self.list_response(request.query_params)

    def post(self, request):
        group = self.resource(Context.RESOURCE_CREATION_REQUEST)
        return self.answer(services.scim_group_create(group=group), status=201)


class GroupSearch(GroupMixin, ScimView):
    def post(self, request):
        return self.search()


class GroupDetail(GroupMixin, ScimView):
    def get(self, request, pk):
        params = self.response_parameters(request.query_params)
        group = self.one(pk, params)
        response = Response(dump(Group, self.payload(group), params))
        response["ETag"] = group_version(group)
        return response

    def put(self, request, pk):
        group = self.resource(Context.RESOURCE_REPLACEMENT_REQUEST)
        updated = services.scim_group_replace(
            group_id=UserDetail._id(pk), group=group, if_match=self.if_match()
        )
        return self.answer(updated)

    def patch(self, request, pk):
        patch = self.patch_op(UserDetail._id(pk))
        updated = services.scim_group_patch(
            group_id=UserDetail._id(pk), patch=patch, if_match=self.if_match()
        )
        return self.answer(updated)

    def delete(self, request, pk):
        services.scim_group_delete(group_id=UserDetail._id(pk), if_match=self.if_match())
        return Response(status=204)


class ServiceProviderConfig(ScimView):
    def get(self, request):
        return Response(discovery.service_provider_config(self.base()))


class ResourceTypes(ScimView):
    def get(self, request, name=None):
        types = discovery.resource_types(self.base())
        if name is not None:
            if name not in types:
                raise NotFoundException(detail=f"No resource type {name}.")
            return Response(types[name])
        return _list_of(list(types.values()))


class Schemas(ScimView):
    def get(self, request, urn=None):
        documents = discovery.schema_documents(self.base())
        if urn is not None:
            if urn not in documents:
                raise NotFoundException(detail=f"No schema {urn}.")
            return Response(documents[urn])
        return _list_of(list(documents.values()))


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
        raise NotFoundException(detail="No SCIM endpoint at this path.")

    post = put = patch = delete = get

"""API conventions shared by every endpoint: one error shape and stable pagination."""

import re

import django_filters
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.api_guard import UNSAFE_MESSAGE, UnsafeText
from core.errors import DomainError, InvalidRows

BULK_FIELD = re.compile(r"^rows\[(?P<index>\d+)\]\.(?P<field>[^.\[]+)")


class ValidatedInput:
    """For action views: `self.validated_input(Serializer)` is the request body, validated
    (a 400 `invalid` with the fields otherwise)."""

    def validated_input(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def _field_messages(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(name): _flatten(value) for name, value in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def exception_handler(exc, context):
    """Turn every error into `{"code", "message", "fields"?}`; bulk rows into `invalid_rows`."""
    if isinstance(exc, InvalidRows):
        return Response({"code": "invalid_rows", "errors": exc.errors}, status=400)
    if isinstance(exc, UnsafeText) and (row := BULK_FIELD.match(exc.field)):
        # Bulk rows report in their own shape, by index and field.
        error = {"index": int(row["index"]), "field": row["field"], "message": UNSAFE_MESSAGE}
        return Response({"code": "invalid_rows", "errors": [error]}, status=400)
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "message": exc.message}
        if exc.fields:
            body["fields"] = exc.fields
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "message": "The request has invalid fields.",
            "fields": _field_messages(exc.detail),
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = {
            "code": code if isinstance(code, str) else "error",
            "message": " ".join(_flatten(detail)),
        }
    return response


def _positive_int(request, name: str, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    # ASCII digits only: "²".isdigit() is true, and int("²") raises. An empty value too.
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise exceptions.ValidationError({name: ["Must be a whole number of at least 1."]})
    value = int(raw)
    if maximum and value > maximum:
        raise exceptions.ValidationError({name: [f"Must be at most {maximum}."]})
    return value


class StablePageNumberPagination(PageNumberPagination):
    """Numbered pages; garbage in `page` or `page_size` is a 400, not a silent default."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        _positive_int(request, self.page_query_param)
        _positive_int(request, self.page_size_query_param, self.max_page_size)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        return _with_bounds(super().get_schema_operation_parameters(view), self.max_page_size)


class IdCursorPagination(CursorPagination):
    """Cursor pages keyed on id: a page costs the same at millions of rows as at thousands."""

    ordering = "-id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        _positive_int(request, self.page_size_query_param, self.max_page_size)
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """A cursor is ours only if it decodes and its position fits the ordering's column:
        a forged `p=abc` (or a 30-digit id) would otherwise reach the database as a filter,
        a 500 on PostgreSQL. Anything else is a 400 naming `cursor`."""
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise _bad_cursor() from exc
        if cursor is not None and cursor.position is not None:
            field = _model_field(self._model, self.ordering[0].lstrip("-"))
            if not _fits(field, cursor.position):
                raise _bad_cursor()
        return cursor

    def get_schema_operation_parameters(self, view):
        return _with_bounds(super().get_schema_operation_parameters(view), self.max_page_size)


def _bad_cursor():
    return exceptions.ValidationError(
        {"cursor": ["Not a cursor this list gave out: follow `next` or `previous` as given."]}
    )


def _fits(field, position: str) -> bool:
    if field is None:
        return True
    if isinstance(field, models.IntegerField | models.AutoField):
        return _is_int(position)
    try:
        field.to_python(position)
    except DjangoValidationError:
        return False
    return "\x00" not in position


def _with_bounds(parameters: list[dict], max_page_size: int) -> list[dict]:
    """Tell the schema what the paginators enforce, so clients (and fuzzers) know that
    `page` starts at 1 and `page_size` is between 1 and the maximum."""
    for parameter in parameters:
        schema = parameter.get("schema", {})
        if parameter["name"] in ("page", "page_size") and schema.get("type") == "integer":
            schema["minimum"] = 1
        if parameter["name"] == "page_size" and schema.get("type") == "integer":
            schema["maximum"] = max_page_size
    return parameters


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` by the view's `ordering_fields` only (each `-` for descending), plus the
    primary key last: rows that tie on the chosen field keep one order across pages
    (otherwise a row can appear on two pages, or none).

    A view lists only keys an index serves, so any ordering costs a page, not a sort of the
    table; anything else is a 400 naming the allowed keys (DRF would silently ignore an
    unknown key, and by default allow every serializer field). No `ordering_fields`: no
    `?ordering=` at all."""

    def get_valid_fields(self, queryset, view, context=None):
        fields = getattr(view, "ordering_fields", None)
        if not fields or fields == "__all__":
            return []
        return [(field, field) for field in fields]

    def get_ordering(self, request, queryset, view):
        values = request.query_params.getlist(self.ordering_param)
        if values:
            terms = [t.strip() for value in values for t in value.split(",")]
            allowed = [field for field, _ in self.get_valid_fields(queryset, view)]
            wrong = [t for t in terms if t.removeprefix("-") not in allowed]
            if wrong or not terms:
                keys = ", ".join(allowed) or "none"
                raise exceptions.ValidationError(
                    {self.ordering_param: [f"Order by one of: {keys} (prefix - to reverse)."]}
                )
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if ordering and not {"pk", "-pk", "id", "-id"} & set(ordering):
            # Ties go the way of the last key, so (key, id) indexes serve either direction
            # (a backward scan): `-updated_at, pk` would sort the whole table for one page.
            ordering.append("-pk" if ordering[-1].startswith("-") else "pk")
        return ordering

    def get_schema_operation_parameters(self, view):
        allowed = [field for field, _ in self.get_valid_fields(None, view)]
        if not allowed:
            return []
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["description"] = (
                f"Order by {', '.join(allowed)}; prefix - to reverse, comma-separate several."
            )
        return parameters


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, refusing what it would silently ignore: `?active=maybe` or `?active=null`
    is a 400, as are empty or repeated values for booleans, numbers and dates. Otherwise a
    typo returns every row, and the caller cannot tell."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) == "list":
            refuse_unknown_parameters(request, view, self.get_filterset_class(view, queryset))
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            errors = {
                param: [message]
                for name, filter_ in filterset.filters.items()
                for param in _params(name, filter_)
                if (
                    message := _strict_error(
                        filter_, request.query_params.getlist(param), queryset.model
                    )
                )
            }
            if errors:
                raise exceptions.ValidationError(errors)
        return filterset


# Accepted on every list: DRF's `format` (json) and the paginators' own (see allowed_parameters).
ALWAYS_ALLOWED = frozenset({"format"})


def allowed_parameters(view, filterset_class=None) -> set[str]:
    """What a list reads from its query string: its filters (range filters as `_after`/
    `_before`), `ordering` where it has `ordering_fields`, `search` where it has
    `search_fields`, its paginator's parameters, and whatever the view declares in
    `query_parameters` (a tuple of names) for what it reads itself."""
    names = set(ALWAYS_ALLOWED) | set(getattr(view, "query_parameters", ()))
    if filterset_class is not None:
        for name, filter_ in filterset_class.base_filters.items():
            names.update(_params(name, filter_))
    if getattr(view, "ordering_fields", None):
        names.add(getattr(view, "ordering_param", None) or "ordering")
    if getattr(view, "search_fields", None):
        names.add("search")
    paginator = getattr(view, "paginator", None)
    for attribute in ("page_query_param", "page_size_query_param", "cursor_query_param"):
        if getattr(paginator, attribute, None):
            names.add(getattr(paginator, attribute))
    return names


def refuse_unknown_parameters(request, view, filterset_class=None) -> None:
    """A misspelt filter (`?org_unti=TEAM1`) would return every row, and the caller could not
    tell: 400 `unknown_parameter`, naming each."""
    unknown = sorted(set(request.query_params) - allowed_parameters(view, filterset_class))
    if unknown:
        allowed = ", ".join(sorted(allowed_parameters(view, filterset_class)))
        raise DomainError(
            f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"This list takes: {allowed}.",
            code="unknown_parameter",
            fields={name: ["Unknown parameter."] for name in unknown},
        )


STRICT_FILTERS = (
    django_filters.ChoiceFilter,
    django_filters.BooleanFilter,
    django_filters.NumberFilter,
    django_filters.DateFilter,
    django_filters.DateTimeFilter,
    django_filters.IsoDateTimeFilter,
)


RANGE_FILTERS = (django_filters.DateFromToRangeFilter, django_filters.IsoDateTimeFromToRangeFilter)


def _params(name: str, filter_) -> list[str]:
    """The query parameters a filter reads: range filters read `<name>_after`/`_before`."""
    if isinstance(filter_, RANGE_FILTERS):
        return [f"{name}_after", f"{name}_before"]
    return [name]


def _strict_error(filter_, values: list[str], model=None) -> str | None:
    if not values or not isinstance(filter_, STRICT_FILTERS + RANGE_FILTERS):
        return None
    if len(values) > 1 or values[0].strip() == "":
        return "Give one value, or leave the parameter out."
    if isinstance(filter_, django_filters.BooleanFilter) and values[0].lower() not in (
        "true",
        "false",
    ):
        return "Must be true or false."
    if isinstance(filter_, django_filters.NumberFilter) and model is not None:
        field = _model_field(model, filter_.field_name)
        if isinstance(field, models.IntegerField | models.AutoField) and not _is_int(values[0]):
            return "Must be a whole number."
    return None


def _is_int(text: str) -> bool:
    digits = text.strip().removeprefix("-")
    # Within a 64-bit column: a bigger number is a database error on PostgreSQL.
    return digits.isascii() and digits.isdigit() and int(digits) < 2**63


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only: DRF's BooleanField also takes 0, 1, "yes" and "on", which
    the schema (type: boolean) does not allow and a typo should not pass for."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)


class StrictCharField(serializers.CharField):
    """JSON strings only: DRF's CharField turns 0 or true into "0" and "True", which the
    schema (type: string) does not allow."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    """A slug that arrives as a JSON string (see StrictCharField)."""


def _model_field(model, path: str):
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model or model
    return field

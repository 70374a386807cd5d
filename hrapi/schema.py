"""OpenAPI for the whole v1 API: the bearer scheme and the error responses every endpoint
shares, added by one postprocessing hook so each engineer's endpoints get them too."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import serializers


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "hrapi.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API client's token: `Authorization: Bearer <token>`. "
            "Create one with `manage.py create_api_client NAME --scopes a,b`.",
        }


class ErrorSerializer(serializers.Serializer):
    """Every error but a bulk request's bad rows."""

    code = serializers.CharField(help_text="Machine-readable, stable: invalid, not_found, …")
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per-field messages; only for validation errors.",
    )


class RowErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class InvalidRowsSerializer(serializers.Serializer):
    """A bulk request with bad rows: nothing was written."""

    code = serializers.ChoiceField(choices=["invalid_rows"])
    errors = RowErrorSerializer(many=True)


# The same shapes as the serializers above, written out because the hook runs after the
# generator has emitted its components.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message"],
}
ROW_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        # null when the error concerns the request as a whole (e.g. too many rows)
        "index": {"type": "integer", "nullable": True},
        "field": {"type": "string"},
        "message": {"type": "string"},
    },
    "required": ["index", "field", "message"],
}
INVALID_ROWS_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "enum": ["invalid_rows"]},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/RowError"}},
    },
    "required": ["code", "errors"],
}
ERROR = {"$ref": "#/components/schemas/Error"}
INVALID_ROWS = {"$ref": "#/components/schemas/InvalidRows"}
DESCRIPTIONS = {
    "400": "Invalid input (bad fields, malformed JSON, bad paging or filter parameters).",
    "401": "No token, or a token that is not valid or was revoked.",
    "403": "The token lacks the scope, or the user the right, this endpoint needs.",
    "404": "No such object, or not visible to the caller.",
    "409": "The change conflicts with existing data or the object's state.",
    "415": "The body is not JSON.",
    "429": "Too many requests for this client; retry after `Retry-After` seconds.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def _error_codes(path: str, method: str, operation: dict) -> list[str]:
    codes = ["400", "401", "403", "404", "429"]
    if method in WRITE_METHODS:
        codes.append("409")
    if "requestBody" in operation:
        codes.append("415")
    return codes


def _content(path: str, method: str, code: str) -> dict:
    if code == "400" and method == "post" and path.endswith("/bulk/"):
        return {"application/json": {"schema": {"oneOf": [ERROR, INVALID_ROWS]}}}
    return {"application/json": {"schema": ERROR}}


def add_error_responses(result, generator, request, public):
    """Document the shared error responses on every /api/v1/ operation (keeping any an
    endpoint documented itself)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR_SCHEMA)
    components.setdefault("RowError", ROW_ERROR_SCHEMA)
    components.setdefault("InvalidRows", INVALID_ROWS_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code in _error_codes(path, method, operation):
                responses.setdefault(
                    code,
                    {"description": DESCRIPTIONS[code], "content": _content(path, method, code)},
                )
    return result

"""SCIM error responses (RFC 7644 §3.12) and the handler that shapes every error that way:
scim2-models exceptions and validation errors, domain errors from the people services, and
DRF's own (authentication, throttling, unparsable bodies)."""

from pydantic import ValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from scim2_models import Error, SCIMException

from core.api_guard import UNSAFE_MESSAGE, UnsafeText
from core.errors import DomainError

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


def error_body(status: int, detail: str, scim_type: str | None = None) -> dict:
    body = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return body


def _response(status: int, detail: str, scim_type: str | None = None) -> Response:
    return Response(error_body(status, detail, scim_type), status=status)


def _from_validation(exc: ValidationError) -> Response:
    errors = Error.from_validation_errors(exc)
    first = errors[0]
    detail = "; ".join(e.detail or "" for e in errors[:5])
    return _response(int(first.status or 400), detail, first.scim_type or "invalidValue")


def _from_domain(exc: DomainError) -> Response:
    status = 409 if exc.status == 409 else 400
    detail = exc.message + "".join(f" {k}: {' '.join(v)}" for k, v in exc.fields.items())
    return _response(status, detail, "uniqueness" if status == 409 else "invalidValue")


def _from_drf(exc: exceptions.APIException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response = _response(401, detail)
        response["WWW-Authenticate"] = "Bearer"
        return response
    if isinstance(exc, exceptions.ParseError):
        return _response(400, detail, "invalidSyntax")
    scim_type = "invalidValue" if isinstance(exc, exceptions.ValidationError) else None
    response = _response(exc.status_code, detail, scim_type)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


def scim_exception_handler(exc, context):
    if isinstance(exc, UnsafeText):
        return _response(400, f"{exc.field}: {UNSAFE_MESSAGE}", "invalidValue")
    if isinstance(exc, SCIMException):
        return _response(exc.status, exc.detail, exc.scim_type or None)
    if isinstance(exc, ValidationError):
        return _from_validation(exc)
    if isinstance(exc, DomainError):
        return _from_domain(exc)
    if isinstance(exc, exceptions.APIException):
        return _from_drf(exc)
    return None

"""SCIM error responses (RFC 7644 §3.12) and the handler that shapes every error that way."""

from rest_framework import exceptions
from rest_framework.response import Response

from core.errors import DomainError

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


def bad_request(detail: str, scim_type: str = "invalidValue") -> ScimError:
    return ScimError(400, detail, scim_type)


def error_body(status: int, detail: str, scim_type: str | None = None) -> dict:
    body = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return body


def _status_and_type(exc) -> tuple[int, str | None]:
    if isinstance(exc, exceptions.ParseError):
        return 400, "invalidSyntax"
    if isinstance(exc, exceptions.ValidationError):
        return 400, "invalidValue"
    return getattr(exc, "status_code", 500), None


def scim_exception_handler(exc, context):
    if isinstance(exc, ScimError):
        return Response(error_body(exc.status, exc.detail, exc.scim_type), status=exc.status)
    if isinstance(exc, DomainError):
        status = 409 if exc.status == 409 else 400
        scim_type = "uniqueness" if status == 409 else "invalidValue"
        detail = exc.message + "".join(f" {k}: {' '.join(v)}" for k, v in exc.fields.items())
        return Response(error_body(status, detail, scim_type), status=status)
    if not isinstance(exc, exceptions.APIException):
        return None
    status, scim_type = _status_and_type(exc)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    response = Response(error_body(status, detail, scim_type), status=status)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait) + 1)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response["WWW-Authenticate"] = "Bearer"
        response.status_code = 401
        response.data["status"] = "401"
    return response

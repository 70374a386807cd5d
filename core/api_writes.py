"""Writes HR systems can trust: single resources carry an ETag, a stale If-Match is a 412,
and PUT replaces a whole record only when it names every field of the contract."""

import hashlib

from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer

from core.errors import DomainError

WRITES = ("PUT", "PATCH", "DELETE")


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = (
        "The resource changed since you read it: If-Match does not match its current ETag. "
        "Read it again and resend the change."
    )


def etag_of(data) -> str:
    """A strong validator of the representation itself, so it changes with every visible
    change (updated_at is part of each representation) and never without one."""
    digest = hashlib.sha256(JSONRenderer().render(data)).hexdigest()[:32]
    return f'"{digest}"'


def _matches(header: str, current: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or current in tags


# What the schema tells HR systems about writes to one resource (people, org units).
PUT_DOC = (
    "Replaces the record: every contract field must be sent (400 naming the missing ones). "
    "Send the ETag of your last read as `If-Match` to be refused with 412 if someone changed "
    "the record since."
)
PATCH_DOC = (
    "Changes only the fields sent; every other field keeps its value (a null clears a field "
    "that may be empty, such as the manager or the parent). `If-Match` as for PUT: 412 when "
    "the record changed since your read."
)


class ConditionalMixin:
    """For a ViewSet: `ETag` on GET of one resource and on the answer to PUT/PATCH; `If-Match`
    on PUT/PATCH/DELETE is compared with the resource as it is now (412 when stale).
    `etag_serializer_class` is the read shape (default: `serializer_class`)."""

    etag_serializer_class = None

    def current_etag(self, obj) -> str:
        serializer_class = self.etag_serializer_class or self.serializer_class
        return etag_of(serializer_class(obj, context=self.get_serializer_context()).data)

    def get_object(self):
        obj = super().get_object()
        header = self.request.headers.get("If-Match")
        stale = header and not _matches(header, self.current_etag(obj))
        if self.request.method in WRITES and stale:
            raise PreconditionFailed()
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        single = self.action in ("retrieve", "update", "partial_update", "create")
        if single and response.status_code < 300 and isinstance(response.data, dict):
            response["ETag"] = etag_of(response.data)
        return response


def require_every_field(request, fields: tuple[str, ...]) -> None:
    """PUT replaces the record: a field left out would be erased or silently kept, and the
    caller cannot tell which. 400 naming what is missing; PATCH changes some fields."""
    if request.method != "PUT":
        return
    data = request.data if isinstance(request.data, dict) else {}
    missing = [name for name in fields if name not in data]
    if missing:
        raise DomainError(
            f"PUT replaces the whole record; send every field (missing: {', '.join(missing)}), "
            "or use PATCH to change only some.",
            code="invalid",
            fields={name: ["This field is required."] for name in missing},
        )

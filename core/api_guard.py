"""The one input guard of the API and SCIM: no input reaches a view, a serializer or the
database in a form they cannot answer with a 4xx.

- `ApiInputGuardMiddleware` (for /api/ and /scim/ paths): bodies over `API_MAX_BODY_BYTES`
  are a 413; a NUL in the path or a query parameter is a 400 (PostgreSQL refuses NUL in text,
  so `people/%00/` used to be a 500 there); an /api/v1/ path without its trailing slash is
  served as if it had one (no redirect, which clients re-send as a GET); any error a view
  did not expect answers JSON in the contract's shape, never Django's HTML page.
- `GuardedJSONParser`: JSON nested deeper than `MAX_JSON_DEPTH` is a 400, and so is any
  string (value or key) holding a NUL or a lone surrogate, naming where it is.
"""

import json
import logging
import re

from django.conf import settings
from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

logger = logging.getLogger(__name__)

MAX_JSON_DEPTH = 32
UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")
UNSAFE_MESSAGE = "Holds a NUL character or a lone surrogate, which cannot be stored."
GUARDED_PREFIXES = ("/api/", "/scim/")


def is_scim(path: str) -> bool:
    return path.startswith("/scim/")


def error_response(path: str, status: int, code: str, message: str, fields=None):
    """The contract's error shape, or SCIM's (RFC 7644 §3.12) under /scim/."""
    if is_scim(path):
        body = {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": str(status),
            "detail": message,
        }
        if status == 400:
            body["scimType"] = "invalidValue"
        return JsonResponse(body, status=status, content_type="application/scim+json")
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return JsonResponse(body, status=status)


class ApiInputGuardMiddleware:
    """Before CommonMiddleware, so the slash is added before APPEND_SLASH would redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(GUARDED_PREFIXES):
            return self.get_response(request)
        refusal = self._refusal(request)
        if refusal is not None:
            return with_quota(request, refusal)
        if (path.startswith("/api/v1/") or path == "/api/v1") and not path.endswith("/"):
            request.path_info += "/"
            request.path += "/"
        return with_quota(request, self.get_response(request))

    def _refusal(self, request):
        path = request.path_info
        if "\x00" in path:
            return error_response(path, 400, "invalid", "The path holds a NUL character.")
        bad = sorted(
            {key for key, values in request.GET.lists() for t in [key, *values] if "\x00" in t}
        )
        if bad:
            fields = {key: [UNSAFE_MESSAGE] for key in bad}
            return error_response(
                path, 400, "invalid", f"Query parameters hold a NUL: {', '.join(bad)}.", fields
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(path, 400, "invalid", "Content-Length is not a number.")
        if length > settings.API_MAX_BODY_BYTES:
            return error_response(
                path,
                413,
                "body_too_large",
                f"The body is {length} bytes; at most {settings.API_MAX_BODY_BYTES} are accepted.",
            )
        return None

    def process_exception(self, request, exception):
        """A bug must not answer an integrator with an HTML page: JSON 500, cause logged."""
        if not request.path_info.startswith(GUARDED_PREFIXES):
            return None
        logger.exception("Unexpected error on %s %s", request.method, request.path_info)
        return server_error_response(request.path_info)


def with_quota(request, response):
    """RateLimit-Limit, -Remaining and -Reset (seconds) on every API and SCIM answer."""
    from hrapi.throttling import quota_of  # the throttle lives with the API clients

    limit, remaining, reset = quota_of(request)
    response["RateLimit-Limit"] = str(limit)
    response["RateLimit-Remaining"] = str(remaining)
    response["RateLimit-Reset"] = str(reset)
    return response


def server_error_response(path: str):
    return error_response(
        path, 500, "server_error", "Something went wrong on our side; it has been logged."
    )


def find_unsafe_text(value) -> str | None:
    """The path (`rows[3].full_name`) of the first string holding NUL or a lone surrogate."""
    stack = [(value, "")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                name = f"{where}.{key}" if where else str(key)
                if UNSAFE_TEXT.search(key):
                    return where or "body"
                stack.append((child, name))
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{i}]") for i, child in enumerate(item))
        elif isinstance(item, str) and UNSAFE_TEXT.search(item):
            return where or "body"
    return None


def depth_of(value, limit: int) -> int:
    """How deep the containers nest, counted without recursion, stopping past `limit`."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


class UnsafeText(exceptions.ValidationError):
    """A string the database cannot store; `field` names where (rows[i].name for bulk rows)."""

    def __init__(self, field: str):
        super().__init__({field: [UNSAFE_MESSAGE]})
        self.field = field


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class GuardedJSONParser(JSONParser):
    """JSON as the API takes it: UTF-8, no NaN or Infinity, nested at most MAX_JSON_DEPTH
    levels, and no string the database cannot store."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            text = stream.read().decode("utf-8") if stream is not None else ""
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError as exc:  # json's C scanner gives up on deep nesting
            raise exceptions.ParseError(self._too_deep()) from exc
        except (UnicodeDecodeError, ValueError) as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from exc
        if depth_of(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(self._too_deep())
        where = find_unsafe_text(data)
        if where is not None:
            raise UnsafeText(where)
        return data

    def _too_deep(self) -> str:
        return f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels."

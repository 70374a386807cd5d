"""The SCIM filter language (RFC 7644 §3.4.2.2): a tokenizer and a small recursive-descent
parser producing a tree, which becomes a Django Q for lists or a predicate for PATCH paths.

    filter  := or
    or      := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" "(" filter ")" | "(" filter ")" | attr "pr" | attr OP value
             | attr "[" filter "]"
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from hrapi.scim.errors import ScimError

OPERATORS = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"}
TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<punct>[()\[\]])'
    r"|(?P<word>[A-Za-z0-9_:.$\-+]+))"
)


def invalid(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


@dataclass(frozen=True)
class Compare:
    attr: str
    op: str
    value: object = None


@dataclass(frozen=True)
class Logical:
    op: str  # "and" | "or"
    left: object
    right: object


@dataclass(frozen=True)
class Not:
    inner: object


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise invalid(f"Unexpected character at position {position} of the filter.")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class Parser:
    def __init__(self, text: str):
        if not isinstance(text, str) or not text.strip():
            raise invalid("The filter is empty.")
        self.tokens, self.at = tokenize(text), 0

    def parse(self):
        node = self._or()
        if self.at != len(self.tokens):
            raise invalid(f"Unexpected {self.tokens[self.at][1]!r} in the filter.")
        return node

    def _peek(self, lower=True):
        if self.at >= len(self.tokens):
            return None
        kind, text = self.tokens[self.at]
        return text.lower() if lower and kind == "word" else text

    def _take(self, expected: str | None = None) -> tuple[str, str]:
        if self.at >= len(self.tokens):
            raise invalid("The filter ends too early.")
        token = self.tokens[self.at]
        if expected and token[1].lower() != expected:
            raise invalid(f"Expected {expected!r} in the filter, found {token[1]!r}.")
        self.at += 1
        return token

    def _or(self):
        node = self._and()
        while self._peek() == "or":
            self._take()
            node = Logical("or", node, self._and())
        return node

    def _and(self):
        node = self._unary()
        while self._peek() == "and":
            self._take()
            node = Logical("and", node, self._unary())
        return node

    def _unary(self):
        if self._peek() == "not":
            self._take()
            self._take("(")
            node = self._or()
            self._take(")")
            return Not(node)
        if self._peek() == "(":
            self._take()
            node = self._or()
            self._take(")")
            return node
        return self._comparison()

    def _comparison(self):
        kind, attr = self._take()
        if kind != "word":
            raise invalid(f"Expected an attribute name, found {attr!r}.")
        if self._peek() == "[":
            self._take()
            inner = self._or()
            self._take("]")
            return _prefixed(inner, attr)
        kind, op = self._take()
        op = op.lower()
        if op == "pr":
            return Compare(attr, "pr")
        if kind != "word" or op not in OPERATORS:
            raise invalid(f"Unknown operator {op!r}.")
        return Compare(attr, op, self._value())

    def _value(self):
        kind, text = self._take()
        if kind == "string":
            return _unquote(text)
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        try:
            return float(text) if "." in text else int(text)
        except ValueError as exc:
            raise invalid(f"{text!r} is not a valid value (quote strings).") from exc


def _unquote(text: str) -> str:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise invalid(f"Bad string {text} in the filter.") from exc


def _prefixed(node, prefix: str):
    """`emails[type eq "work"]` filters the sub-attributes of `emails`."""
    if isinstance(node, Compare):
        return Compare(f"{prefix}.{node.attr}", node.op, node.value)
    if isinstance(node, Not):
        return Not(_prefixed(node.inner, prefix))
    return Logical(node.op, _prefixed(node.left, prefix), _prefixed(node.right, prefix))


def parse(text: str):
    return Parser(text).parse()


# --- to a Django Q ------------------------------------------------------------------------------

LOOKUPS = {"co": "contains", "sw": "startswith", "ew": "endswith"}
RANGE = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}


@dataclass(frozen=True)
class Field:
    """How one SCIM attribute maps to the ORM: its path, type and case sensitivity."""

    path: str
    type: str = "string"  # string | boolean | integer | datetime
    case_exact: bool = False


def normalise(attr: str, schemas: list[str]) -> str:
    """Lower-case an attribute path and drop a known schema URN prefix."""
    lowered = attr.lower()
    for urn in schemas:
        if lowered.startswith(urn.lower() + ":"):
            if "enterprise" in urn.lower():
                return "enterprise:" + lowered[len(urn) + 1 :]
            return lowered[len(urn) + 1 :]
    return lowered


def to_q(node, fields: dict[str, Field], schemas: list[str]) -> Q:
    if isinstance(node, Logical):
        left, right = to_q(node.left, fields, schemas), to_q(node.right, fields, schemas)
        return left & right if node.op == "and" else left | right
    if isinstance(node, Not):
        return ~to_q(node.inner, fields, schemas)
    field = fields.get(normalise(node.attr, schemas))
    if field is None:
        raise invalid(f"Filtering on {node.attr!r} is not supported.")
    return _compare_q(field, node)


def _coerce(field: Field, value, op: str):
    if field.type == "boolean":
        if op not in ("eq", "ne") or not isinstance(value, bool):
            raise invalid("Compare a boolean attribute with eq or ne and true or false.")
        return value
    if field.type == "integer":
        try:
            return int(value)
        except (TypeError, ValueError):
            return None  # an id that cannot exist: the comparison matches nothing
    if field.type == "datetime":
        try:
            return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as exc:
            raise invalid(f"{value!r} is not an xsd:dateTime.") from exc
    if not isinstance(value, str):
        raise invalid("Compare a string attribute with a quoted string.")
    return value


def _compare_q(field: Field, node: Compare) -> Q:
    if node.op == "pr":
        present = Q(**{f"{field.path}__isnull": False})
        return present & ~Q(**{field.path: ""}) if field.type == "string" else present
    value = _coerce(field, node.value, node.op)
    if value is None:
        return Q(pk__in=[]) if node.op != "ne" else ~Q(pk__in=[])
    insensitive = "" if field.case_exact or field.type != "string" else "i"
    if node.op in ("eq", "ne"):
        lookup = f"{field.path}__{insensitive}exact"
        q = Q(**{lookup: value})
        return ~q if node.op == "ne" else q
    if node.op in LOOKUPS:
        if field.type != "string":
            raise invalid(f"{node.op} works on strings only.")
        return Q(**{f"{field.path}__{insensitive}{LOOKUPS[node.op]}": value})
    if field.type == "boolean":
        raise invalid(f"{node.op} does not apply to booleans.")
    return Q(**{f"{field.path}__{RANGE[node.op]}": value})


# --- in memory, for PATCH value paths such as emails[type eq "work"] --------------------------


def matches(node, item: dict) -> bool:
    if isinstance(node, Logical):
        left, right = matches(node.left, item), matches(node.right, item)
        return (left and right) if node.op == "and" else (left or right)
    if isinstance(node, Not):
        return not matches(node.inner, item)
    key = node.attr.split(".")[-1].lower()
    actual = next((v for k, v in item.items() if k.lower() == key), None)
    return _compare_value(node.op, actual, node.value)


def _compare_value(op: str, actual, expected) -> bool:
    if op == "pr":
        return actual not in (None, "", [])
    if isinstance(actual, str) and isinstance(expected, str):
        actual, expected = actual.lower(), expected.lower()
    checks = {
        "eq": lambda: actual == expected,
        "ne": lambda: actual != expected,
        "co": lambda: isinstance(actual, str) and expected in actual,
        "sw": lambda: isinstance(actual, str) and actual.startswith(expected),
        "ew": lambda: isinstance(actual, str) and actual.endswith(expected),
    }
    if op in checks:
        return checks[op]()
    try:
        return {
            "gt": actual > expected,
            "ge": actual >= expected,
            "lt": actual < expected,
            "le": actual <= expected,
        }[op]
    except TypeError:
        return False

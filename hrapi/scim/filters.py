"""SCIM filters (RFC 7644 §3.4.2.2): bounded here, parsed by scim2-models, turned into a Q.

The bounds come first, on the raw text, so a hostile filter costs a scan and never reaches
the parser: at most MAX_LENGTH characters, MAX_DEPTH nested parentheses or brackets and
MAX_TERMS comparisons (SQLite refuses expressions deeper than 1,000, and no provider sends
more than a handful). PATCH paths carry filters too and go through the same bounds.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from scim2_models import InvalidFilterException, ScimFilter
from scim2_models.path import (
    AttrPath,
    Comparison,
    FilterVisitor,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)

from core.filters import MAX_ID

MAX_LENGTH = 4096
MAX_DEPTH = 32
MAX_TERMS = 100


def invalid(detail: str) -> InvalidFilterException:
    return InvalidFilterException(detail=detail)


def check_bounds(text: str) -> None:
    """Refuse a filter or path too long or too deeply nested, before any parsing."""
    if len(text) > MAX_LENGTH:
        raise invalid(f"The filter is longer than {MAX_LENGTH} characters.")
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            escaped, in_string = (char == "\\" and not escaped), (escaped or char != '"')
            continue
        if char == '"':
            in_string = True
        elif char in "([":
            depth += 1
            if depth > MAX_DEPTH:
                raise invalid(f"The filter nests deeper than {MAX_DEPTH} levels.")
        elif char in ")]":
            depth -= 1


def _leaves(node) -> list:
    """Comparisons and presence tests of a parsed filter, without recursion."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if isinstance(current, LogicalExpr):
            stack.extend(current.terms)
        elif isinstance(current, Not):
            stack.append(current.expr)
        elif isinstance(current, ValuePath):
            stack.append(current.val_filter)
        else:
            found.append(current)
    return found


def _check_leaves(node) -> None:
    leaves = _leaves(node)
    if len(leaves) > MAX_TERMS:
        raise invalid(f"The filter has more than {MAX_TERMS} comparisons.")
    for leaf in leaves:
        value = getattr(leaf, "value", None)
        if isinstance(value, str) and not _storable(value):
            raise invalid("A filter value holds a NUL character or a lone surrogate.")


def _storable(text: str) -> bool:
    return "\x00" not in text and not any("\ud800" <= c <= "\udfff" for c in text)


def parse(text, model) -> ScimFilter:
    """A filter bound to `model` (scim2-models checks operators and value types)."""
    if not isinstance(text, str):
        raise invalid("The filter must be a string.")
    if not text.strip():
        raise invalid("The filter is empty.")
    check_bounds(text)
    parsed = ScimFilter[model](text)
    _check_leaves(parsed.ast)
    return parsed


# --- to a Django Q ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """Where one SCIM attribute lives in the ORM, its type and its case sensitivity."""

    path: str
    kind: str = "string"  # string | boolean | id | datetime
    case_exact: bool = False


@dataclass(frozen=True)
class Many:
    """A multi-valued attribute kept in its own table: compared through EXISTS, so every
    condition in `emails[type eq "work" and value co "@x"]` holds on the same row."""

    model: type
    outer: str  # the row's path to the resource's primary key
    columns: dict[str, Column] = field(default_factory=dict)
    fallback: str | None = None  # a resource column answering for `value` when no row exists


class QueryBuilder(FilterVisitor[Q]):
    def __init__(self, columns: dict[str, Column | Many], extension: str):
        self.columns, self.extension = columns, extension.lower()

    def visit_logical_expr(self, node: LogicalExpr) -> Q:
        terms = [self.visit(term) for term in node.terms]
        combined = terms[0]
        for term in terms[1:]:
            combined = combined & term if node.op == LogicalOperator.and_ else combined | term
        return combined

    def visit_not(self, node: Not) -> Q:
        return ~self.visit(node.expr)

    def visit_present(self, node: Present) -> Q:
        target, sub = self._target(node.attr_path)
        if isinstance(target, Many):
            return self._exists(target, _present(target.columns[sub]) if sub else Q())
        return _present(target)

    def visit_comparison(self, node: Comparison) -> Q:
        target, sub = self._target(node.attr_path)
        if isinstance(target, Many):
            column = target.columns[sub or "value"]
            q = self._exists(target, _compare(column, node.op.value, node.value))
            if target.fallback and (sub or "value") == "value":
                fallback = Column(target.fallback, column.kind, column.case_exact)
                alone = ~self._exists(target, Q())
                q |= alone & _compare(fallback, node.op.value, node.value)
            return q
        return _compare(target, node.op.value, node.value)

    def visit_value_path(self, node: ValuePath) -> Q:
        target, _ = self._target(node.attr_path)
        if not isinstance(target, Many):
            raise invalid(f"{node.attr_path} is not multi-valued.")
        return self._exists(target, QueryBuilder(target.columns, "").visit(node.val_filter))

    def _target(self, attr_path: AttrPath) -> tuple[Column | Many, str | None]:
        name = attr_path.attr.lower()
        if attr_path.uri and attr_path.uri.lower() == self.extension:
            name = f"enterprise:{name}"
        sub = attr_path.sub_attr.lower() if attr_path.sub_attr else None
        target = self.columns.get(name)
        if isinstance(target, Many) and (sub is None or sub in target.columns):
            return target, sub
        dotted = self.columns.get(f"{name}.{sub}") if sub else target
        if not isinstance(dotted, Column):
            raise invalid(f"Filtering on {attr_path} is not supported.")
        return dotted, None

    @staticmethod
    def _exists(target: Many, condition: Q) -> Exists:
        rows = target.model.objects.filter(**{target.outer: OuterRef("pk")})
        return Exists(rows.filter(condition))


def to_q(parsed: ScimFilter, columns: dict, extension: str) -> Q:
    return QueryBuilder(columns, extension).visit(parsed.ast)


def _present(column: Column) -> Q:
    present = Q(**{f"{column.path}__isnull": False})
    return present & ~Q(**{column.path: ""}) if column.kind == "string" else present


def _compare(column: Column, op: str, value) -> Q:
    if value is None and op in ("eq", "ne"):
        return ~_present(column) if op == "eq" else _present(column)
    value = _coerce(column, op, value)
    if value is _NOTHING:
        return ~Q(pk__in=[]) if op == "ne" else Q(pk__in=[])
    insensitive = "i" if column.kind == "string" and not column.case_exact else ""
    lookups = {"eq": "exact", "ne": "exact", "co": "contains", "sw": "startswith"}
    lookups |= {"ew": "endswith", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
    lookup = lookups[op]
    if lookup in ("exact", "contains", "startswith", "endswith"):
        lookup = insensitive + lookup
    q = Q(**{f"{column.path}__{lookup}": value})
    return ~q if op == "ne" else q


_NOTHING = object()


def _coerce(column: Column, op: str, value):
    if column.kind == "boolean":
        if op not in ("eq", "ne"):
            raise invalid("Compare a boolean with eq or ne.")
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, bool):
            raise invalid("Compare a boolean with true or false.")
        return value
    if column.kind == "id":
        if op not in ("eq", "ne"):
            raise invalid("Compare an id with eq or ne.")
        text = str(value)
        return int(text) if text.isdigit() and 0 < int(text) <= MAX_ID else _NOTHING
    if column.kind == "datetime":
        if op in ("co", "sw", "ew"):
            raise invalid(f"{op} does not apply to dates.")
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as exc:
            raise invalid(f"{value!r} is not an xsd:dateTime.") from exc
    if not isinstance(value, str):
        raise invalid("Compare a string attribute with a quoted string.")
    return value

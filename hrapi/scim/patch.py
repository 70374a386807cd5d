"""SCIM PATCH (RFC 7644 §3.5.2): add, replace and remove applied to a resource's SCIM form.

The patched representation then goes through the same path as a PUT, so PATCH and PUT
share one set of rules. Paths may be plain (`active`), dotted (`name.givenName`), filtered
(`emails[type eq "work"].value`, `members[value eq "12"]`) or URN-qualified
(`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`).
"""

import copy
import re
from dataclasses import dataclass

from hrapi.scim.errors import bad_request
from hrapi.scim.filters import Parser, matches
from hrapi.scim.resources import ENTERPRISE, GROUP, PATCH_OP, USER

PATH = re.compile(
    r"^(?P<attr>[A-Za-z$][\w$-]*)(?:\[(?P<filter>.*)\])?(?:\.(?P<sub>[A-Za-z$][\w$-]*))?$"
)
KNOWN_URNS = [ENTERPRISE, USER, GROUP]


@dataclass
class Path:
    extension: bool
    attr: str
    filter: object = None
    sub: str | None = None


def parse_path(text) -> Path:
    if not isinstance(text, str) or not text.strip():
        raise bad_request("The path is empty.", "invalidPath")
    text = text.strip()
    extension = False
    for urn in KNOWN_URNS:
        if text.lower() == urn.lower() and urn == ENTERPRISE:
            return Path(extension=True, attr="")
        if text.lower().startswith(urn.lower() + ":"):
            extension, text = urn == ENTERPRISE, text[len(urn) + 1 :]
            break
    match = PATH.match(text)
    if not match:
        raise bad_request(f"{text!r} is not a valid attribute path.", "invalidPath")
    node = Parser(match["filter"]).parse() if match["filter"] is not None else None
    return Path(extension, match["attr"], node, match["sub"])


def _key(container: dict, name: str) -> str:
    return next((k for k in container if k.lower() == name.lower()), name)


def _container(resource: dict, path: Path) -> dict:
    if not path.extension:
        return resource
    key = _key(resource, ENTERPRISE)
    if not isinstance(resource.get(key), dict):
        resource[key] = {}
    return resource[key]


def _merge_list(current: list, value) -> list:
    items = value if isinstance(value, list) else [value]
    known = {str(i.get("value")) for i in current if isinstance(i, dict)}
    return current + [
        i for i in items if not (isinstance(i, dict) and str(i.get("value")) in known)
    ]


def _set(resource: dict, path: Path, value, op: str) -> None:
    if path.extension and not path.attr:
        if not isinstance(value, dict):
            raise bad_request("The enterprise extension must be an object.")
        for name, sub_value in value.items():
            _set(resource, Path(True, name), sub_value, op)
        return
    container = _container(resource, path)
    key = _key(container, path.attr)
    current = container.get(key)
    if path.filter is not None:
        _set_filtered(container, key, path, value)
    elif path.sub:
        if isinstance(current, list):  # `emails.value` without a filter: every item
            for item in current:
                item[_key(item, path.sub)] = value
        else:
            target = current if isinstance(current, dict) else {}
            target[_key(target, path.sub)] = value
            container[key] = target
    elif op == "add" and isinstance(current, list):
        container[key] = _merge_list(current, value)
    elif isinstance(current, dict) and isinstance(value, dict):
        current.update({_key(current, k): v for k, v in value.items()})
    else:
        container[key] = value


def _set_filtered(container: dict, key: str, path: Path, value) -> None:
    items = container.get(key)
    items = items if isinstance(items, list) else []
    matched = [i for i in items if isinstance(i, dict) and matches(path.filter, i)]
    if not matched:
        # `emails[type eq "work"].value` on a user without a work email creates one.
        item = _seed_from_filter(path.filter)
        items.append(item)
        matched = [item]
    for item in matched:
        if path.sub:
            item[_key(item, path.sub)] = value
        elif isinstance(value, dict):
            item.update(value)
    container[key] = items


def _seed_from_filter(node) -> dict:
    from hrapi.scim.filters import Compare, Logical

    if isinstance(node, Compare) and node.op == "eq":
        return {node.attr.split(".")[-1]: node.value}
    if isinstance(node, Logical) and node.op == "and":
        return _seed_from_filter(node.left) | _seed_from_filter(node.right)
    raise bad_request("No value matches the path's filter.", "noTarget")


def _remove(resource: dict, path: Path) -> None:
    if path.extension and not path.attr:
        resource.pop(_key(resource, ENTERPRISE), None)
        return
    container = _container(resource, path)
    key = _key(container, path.attr)
    current = container.get(key)
    if path.filter is not None:
        if not isinstance(current, list):
            return
        if path.sub:
            for item in current:
                if isinstance(item, dict) and matches(path.filter, item):
                    item.pop(_key(item, path.sub), None)
        else:
            container[key] = [
                i for i in current if not (isinstance(i, dict) and matches(path.filter, i))
            ]
    elif path.sub and isinstance(current, dict):
        current.pop(_key(current, path.sub), None)
    else:
        container.pop(key, None)


def _touch_names(resource: dict, path: Path, value=None) -> None:
    """Keep full_name derivable: a new displayName or given/family name wins over the old
    `name.formatted` that the representation still carries."""
    if path.extension:
        return
    name = resource.get(_key(resource, "name"))
    if path.attr.lower() == "displayname":
        resource[_key(resource, "name")] = {"formatted": resource.get(_key(resource, path.attr))}
    elif path.attr.lower() == "name" and isinstance(name, dict):
        if path.sub:
            touched = {path.sub.lower()}
        else:
            touched = {k.lower() for k in value} if isinstance(value, dict) else {"formatted"}
        if "formatted" not in touched:
            name.pop(_key(name, "formatted"), None)
            resource.pop(_key(resource, "displayName"), None)


def apply_patch(resource: dict, body) -> dict:
    """Return a patched copy of `resource`; the original is left alone."""
    if not isinstance(body, dict):
        raise bad_request("The body must be a PatchOp object.", "invalidSyntax")
    schemas = body.get("schemas")
    if schemas is not None and PATCH_OP not in (schemas if isinstance(schemas, list) else []):
        raise bad_request(f"schemas must contain {PATCH_OP}.", "invalidSyntax")
    operations = body.get("Operations", body.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise bad_request("Operations must be a non-empty list.", "invalidSyntax")
    patched = copy.deepcopy(resource)
    for operation in operations:
        _apply_one(patched, operation)
    return patched


def _apply_one(resource: dict, operation) -> None:
    if not isinstance(operation, dict):
        raise bad_request("Each operation must be an object.", "invalidSyntax")
    op = str(operation.get("op", "")).lower()
    if op not in ("add", "replace", "remove"):
        raise bad_request(f"Unknown op {operation.get('op')!r}.", "invalidSyntax")
    raw_path, value = operation.get("path"), operation.get("value")
    if raw_path is None:
        if op == "remove":
            raise bad_request("remove needs a path.", "noTarget")
        if not isinstance(value, dict):
            raise bad_request("Without a path the value must be an object.", "invalidValue")
        for name, sub_value in value.items():
            path = parse_path(name)
            _set(resource, path, sub_value, op)
            _touch_names(resource, path, sub_value)
        return
    path = parse_path(raw_path)
    if op == "remove":
        _remove(resource, path)
    else:
        if "value" not in operation:
            raise bad_request(f"{op} needs a value.", "invalidValue")
        _set(resource, path, value, op)
    _touch_names(resource, path, value)

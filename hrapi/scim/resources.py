"""SCIM representations: a Person as a User, an OrgUnit as a Group, and back again.

Mapping (documented in the README): User.id is the person's primary key; userName is the
HR `external_id` (unique, case-insensitive in SCIM); the enterprise employeeNumber echoes
it; name.formatted and displayName are `full_name`; the work email is `email`; active is
`active`; the enterprise manager.value is the manager's User id; department is the org unit's
name. Group.id is the org unit's primary key, displayName its name, externalId its
`external_id`, and members the people whose org unit it is.
"""

from django.urls import reverse

from hrapi.scim.errors import bad_request
from hrapi.scim.filters import Field

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

USER_FIELDS = {
    "id": Field("pk", "integer"),
    "username": Field("external_id"),
    "externalid": Field("external_id", case_exact=True),
    "displayname": Field("full_name"),
    "name.formatted": Field("full_name"),
    "emails": Field("email"),
    "emails.value": Field("email"),
    "active": Field("active", "boolean"),
    "meta.created": Field("created_at", "datetime"),
    "meta.lastmodified": Field("updated_at", "datetime"),
    "enterprise:employeenumber": Field("external_id"),
    "enterprise:manager": Field("manager__pk", "integer"),
    "enterprise:manager.value": Field("manager__pk", "integer"),
    "enterprise:department": Field("org_unit__name"),
}
USER_SORT = {
    "id": "pk",
    "username": "external_id",
    "displayname": "full_name",
    "name.formatted": "full_name",
    "emails": "email",
    "emails.value": "email",
    "meta.created": "created_at",
    "meta.lastmodified": "updated_at",
}
GROUP_FIELDS = {
    "id": Field("pk", "integer"),
    "displayname": Field("name"),
    "externalid": Field("external_id", case_exact=True),
    "members": Field("people__pk", "integer"),
    "members.value": Field("people__pk", "integer"),
    "meta.created": Field("created_at", "datetime"),
    "meta.lastmodified": Field("updated_at", "datetime"),
}
GROUP_SORT = {
    "id": "pk",
    "displayname": "name",
    "externalid": "external_id",
    "meta.created": "created_at",
    "meta.lastmodified": "updated_at",
}


def _location(base: str, name: str, pk) -> str:
    return base.rstrip("/") + reverse(name, args=[pk])


def version(obj) -> str:
    return f'W/"{int(obj.updated_at.timestamp() * 1_000_000)}"'


def _meta(base: str, resource_type: str, obj, url_name: str) -> dict:
    return {
        "resourceType": resource_type,
        "created": obj.created_at.isoformat(),
        "lastModified": obj.updated_at.isoformat(),
        "location": _location(base, url_name, obj.pk),
        "version": version(obj),
    }


def _split_name(full_name: str) -> dict:
    given, _, family = full_name.rpartition(" ")
    name = {"formatted": full_name}
    if given:
        name |= {"givenName": given, "familyName": family}
    else:
        name |= {"givenName": full_name}
    return name


def user_representation(person, base: str) -> dict:
    enterprise = {"employeeNumber": person.external_id}
    if person.manager_id:
        enterprise["manager"] = {
            "value": str(person.manager_id),
            "$ref": _location(base, "scim-user", person.manager_id),
            "displayName": person.manager.full_name,
        }
    if person.org_unit_id:
        enterprise["department"] = person.org_unit.name
    user = {
        "schemas": [USER, ENTERPRISE],
        "id": str(person.pk),
        "userName": person.external_id,
        "externalId": person.external_id,
        "name": _split_name(person.full_name),
        "displayName": person.full_name,
        "active": person.active,
        "emails": [{"value": person.email, "type": "work", "primary": True}]
        if person.email
        else [],
        ENTERPRISE: enterprise,
        "meta": _meta(base, "User", person, "scim-user"),
    }
    if person.org_unit_id:
        user["groups"] = [
            {
                "value": str(person.org_unit_id),
                "display": person.org_unit.name,
                "$ref": _location(base, "scim-group", person.org_unit_id),
            }
        ]
    return user


def group_representation(unit, members, base: str) -> dict:
    return {
        "schemas": [GROUP],
        "id": str(unit.pk),
        "externalId": unit.external_id,
        "displayName": unit.name,
        "members": [
            {
                "value": str(p.pk),
                "display": p.full_name,
                "type": "User",
                "$ref": _location(base, "scim-user", p.pk),
            }
            for p in members
        ],
        "meta": _meta(base, "Group", unit, "scim-group"),
    }


# --- from SCIM input ----------------------------------------------------------------------------


def _get(data: dict, name: str, default=None):
    """SCIM attribute names are case-insensitive."""
    return next((v for k, v in data.items() if k.lower() == name.lower()), default)


def _string(value, name: str, required=False) -> str | None:
    if value is None or value == "":
        if required:
            raise bad_request(f"{name} is required.", "invalidValue")
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string.", "invalidValue")
    return value.strip()


def _email(emails) -> str:
    if emails in (None, []):
        return ""
    if not isinstance(emails, list) or not all(isinstance(e, dict) for e in emails):
        raise bad_request("emails must be a list of objects with a value.")
    chosen = (
        next((e for e in emails if _get(e, "primary") is True), None)
        or next((e for e in emails if str(_get(e, "type", "")).lower() == "work"), None)
        or emails[0]
    )
    return _string(_get(chosen, "value"), "emails.value") or ""


def _full_name(data: dict) -> str | None:
    name = _get(data, "name") or {}
    if not isinstance(name, dict):
        raise bad_request("name must be an object.")
    parts = [_get(name, "givenName"), _get(name, "familyName")]
    joined = " ".join(p for p in parts if isinstance(p, str) and p.strip())
    return (
        _string(_get(name, "formatted"), "name.formatted")
        or _string(_get(data, "displayName"), "displayName")
        or joined
        or None
    )


def _active(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"  # some clients send booleans as strings
    if not isinstance(value, bool):
        raise bad_request("active must be a boolean.")
    return value


def _manager_id(enterprise: dict):
    manager = _get(enterprise, "manager")
    if manager in (None, "", {}):
        return None
    value = _get(manager, "value") if isinstance(manager, dict) else manager
    return _string(value, "manager.value")


def user_input(data) -> dict:
    """The person fields a User body sets: userName, names, email, active, manager, department."""
    if not isinstance(data, dict):
        raise bad_request("The body must be a JSON object.", "invalidSyntax")
    enterprise = _get(data, ENTERPRISE) or {}
    if not isinstance(enterprise, dict):
        raise bad_request("The enterprise extension must be an object.")
    user_name = _string(_get(data, "userName"), "userName", required=True)
    if len(user_name) > 64:
        raise bad_request("userName is at most 64 characters.")
    return {
        "external_id": user_name,
        "full_name": (_full_name(data) or user_name)[:200],
        "email": _email(_get(data, "emails")),
        "active": _active(_get(data, "active")),
        "manager": _manager_id(enterprise),
        "department": _string(_get(enterprise, "department"), "department"),
    }


def group_input(data) -> dict:
    if not isinstance(data, dict):
        raise bad_request("The body must be a JSON object.", "invalidSyntax")
    members = _get(data, "members") or []
    if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
        raise bad_request("members must be a list of objects with a value.")
    external_id = _string(_get(data, "externalId"), "externalId")
    return {
        "name": _string(_get(data, "displayName"), "displayName", required=True)[:200],
        "external_id": external_id[:64] if external_id else None,
        "members": [_string(_get(m, "value"), "members.value", required=True) for m in members],
    }


# --- attributes / excludedAttributes ------------------------------------------------------------

ALWAYS = {"id", "schemas"}


def project(resource: dict, attributes: str | None, excluded: str | None) -> dict:
    """Apply `attributes` or `excludedAttributes` (comma-separated, case-insensitive, may be
    dotted or URN-qualified). id and schemas are always returned."""
    if attributes:
        wanted = _paths(attributes, resource)
        return {
            k: v
            for k, v in ((k, _keep(resource, k, v, wanted)) for k, v in resource.items())
            if v is not None
        }
    if excluded:
        dropped = _paths(excluded, resource)
        return {
            k: _drop(k, v, dropped)
            for k, v in resource.items()
            if k in ALWAYS or (k.lower(),) not in dropped
        }
    return resource


def _paths(text: str, resource: dict) -> set[tuple[str, ...]]:
    paths = set()
    urns = [k for k in resource if k.lower().startswith("urn:")]
    for raw in text.split(","):
        name = raw.strip().lower()
        urn = next(
            (u.lower() for u in [*urns, USER, GROUP] if name.startswith(u.lower() + ":")), None
        )
        if urn in (USER.lower(), GROUP.lower()):
            name, urn = name[len(urn) + 1 :], None
        if urn:
            paths.add((urn, *name[len(urn) + 1 :].split(".")))
        elif name:
            paths.add(tuple(name.split(".")))
    return paths


def _keep(resource, key, value, wanted):
    lowered = key.lower()
    if key in ALWAYS or (lowered,) in wanted or (key == "meta" and ("meta",) in wanted):
        return value
    subs = {p[1] for p in wanted if p[0] == lowered and len(p) > 1}
    if not subs:
        return None
    if isinstance(value, dict):
        kept = {k: v for k, v in value.items() if k.lower() in subs}
        return kept or None
    if isinstance(value, list):
        return [{k: v for k, v in item.items() if k.lower() in subs} for item in value]
    return None


def _drop(key, value, dropped):
    subs = {p[1] for p in dropped if p[0] == key.lower() and len(p) > 1}
    if subs and isinstance(value, dict):
        return {k: v for k, v in value.items() if k.lower() not in subs}
    if subs and isinstance(value, list):
        return [{k: v for k, v in i.items() if k.lower() not in subs} for i in value]
    return value

"""SCIM representations: a Person as a User, an AccessGroup as a Group, and back again.

A User is rendered from what the provider sent (ScimProfile) beside the HR contract fields:
id is the person's primary key; userName the HR `external_id`; externalId, the name parts,
displayName, the e-mails and the enterprise department come back as sent; `name.formatted`
is the person's full name, which the services derive from them. A person no provider ever
wrote (created through the REST API) shows its contract fields: full name, work e-mail, org
unit name. PATCH works on the stored form (`stored_user`), so a derived value never passes
for one the provider sent.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from scim2_models import Context, ResponseParameters

from hrapi.models import AccessGroupMembership, ScimEmail
from hrapi.scim.filters import Column, Many
from hrapi.scim.schemas import ENTERPRISE, GROUP, USER, EnterpriseUser, Group, User

NAME_PARTS = (
    ("honorific_prefix", "honorificPrefix"),
    ("given_name", "givenName"),
    ("middle_name", "middleName"),
    ("family_name", "familyName"),
    ("honorific_suffix", "honorificSuffix"),
)

# The queryset annotations the columns below rely on (see user_annotations).
USER_COLUMNS = {
    "id": Column("pk", "id"),
    "username": Column("external_id"),
    "externalid": Column("scim__external_id", case_exact=True),
    "displayname": Column("scim_display_name"),
    "name.formatted": Column("full_name"),
    **{f"name.{scim.lower()}": Column(f"scim__{field}") for field, scim in NAME_PARTS},
    "active": Column("active", "boolean"),
    "emails": Many(
        ScimEmail,
        "profile__person",
        {
            "value": Column("value"),
            "type": Column("type"),
            "primary": Column("primary", "boolean"),
            "display": Column("display"),
        },
        fallback="email",
    ),
    "groups": Many(
        AccessGroupMembership,
        "person",
        {"value": Column("group_id", "id"), "display": Column("group__display_name")},
    ),
    "meta.created": Column("created_at", "datetime"),
    "meta.lastmodified": Column("updated_at", "datetime"),
    "enterprise:employeenumber": Column("external_id"),
    "enterprise:department": Column("scim_department"),
    "enterprise:manager": Column("manager_id", "id"),
    "enterprise:manager.value": Column("manager_id", "id"),
}
USER_SORT = {
    "id": "pk",
    "username": "external_id",
    "externalid": "scim__external_id",
    "displayname": "scim_display_name",
    "name.formatted": "full_name",
    "name.givenname": "scim__given_name",
    "name.familyname": "scim__family_name",
    "emails": "email",
    "emails.value": "email",
    "active": "active",
    "meta.created": "created_at",
    "meta.lastmodified": "updated_at",
}
GROUP_COLUMNS = {
    "id": Column("pk", "id"),
    "displayname": Column("display_name"),
    "externalid": Column("external_id", case_exact=True),
    "members": Many(
        AccessGroupMembership,
        "group",
        {
            "value": Column("person_id", "id"),
            "display": Column("person__full_name"),
            "type": Column("person__external_id"),  # never empty: every member is a User
        },
    ),
    "meta.created": Column("created_at", "datetime"),
    "meta.lastmodified": Column("updated_at", "datetime"),
}
GROUP_SORT = {
    "id": "pk",
    "displayname": "display_name",
    "externalid": "external_id",
    "meta.created": "created_at",
    "meta.lastmodified": "updated_at",
}


def user_annotations() -> dict:
    """displayName and department as shown: the provider's value, else the contract's."""
    return {
        "scim_display_name": Coalesce(NullIf("scim__display_name", Value("")), "full_name"),
        "scim_department": Coalesce("scim__department", "org_unit__name"),
    }


def profile_of(person):
    try:
        return person.scim
    except ObjectDoesNotExist:
        return None


def _micros(moment) -> int:
    return int(moment.timestamp() * 1_000_000)


def user_version(person) -> str:
    profile = profile_of(person)
    return f'W/"{profile.version if profile else 0}-{_micros(person.updated_at)}"'


def group_version(group) -> str:
    return f'W/"{group.version}"'


def _location(base: str, name: str, pk) -> str:
    return base.rstrip("/") + reverse(name, args=[pk])


def _instant(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _meta(base, kind, obj, url_name, version, last_modified) -> dict:
    return {
        "resourceType": kind,
        "created": _instant(obj.created_at),
        "lastModified": _instant(last_modified),
        "location": _location(base, url_name, obj.pk),
        "version": version,
    }


# --- to SCIM ------------------------------------------------------------------------------------


def _emails(person, profile) -> list[dict]:
    rows = list(profile.emails.all()) if profile else []
    if not rows:
        return [{"value": person.email, "type": "work", "primary": True}] if person.email else []
    return [
        {
            "value": e.value,
            "type": e.type or None,
            "primary": e.primary,
            "display": e.display or None,
        }
        for e in rows
    ]


def _name(profile) -> dict:
    parts = {scim: getattr(profile, field) for field, scim in NAME_PARTS} if profile else {}
    return {k: v for k, v in parts.items() if v}


def _department(person, profile) -> str | None:
    if profile and profile.department is not None:
        return profile.department or None
    return person.org_unit.name if person.org_unit_id else None


def _manager(person, base: str, rendered: bool) -> dict | None:
    if not person.manager_id:
        return None
    manager = {"value": str(person.manager_id)}
    if rendered:
        manager["$ref"] = _location(base, "scim-user", person.manager_id)
        manager["displayName"] = person.manager.full_name
    return manager


def user_payload(person, base: str) -> dict:
    """The User as every read returns it."""
    profile = profile_of(person)
    modified = max(person.updated_at, profile.updated_at) if profile else person.updated_at
    enterprise = {"employeeNumber": person.external_id, "department": _department(person, profile)}
    enterprise["manager"] = _manager(person, base, rendered=True)
    return {
        "schemas": [USER, ENTERPRISE],
        "id": str(person.pk),
        "externalId": (profile.external_id or None) if profile else None,
        "userName": person.external_id,
        "name": {"formatted": person.full_name, **_name(profile)},
        "displayName": (profile and profile.display_name) or person.full_name,
        "active": person.active,
        "emails": _emails(person, profile),
        "groups": [
            {
                "value": str(m.group_id),
                "display": m.group.display_name,
                "$ref": _location(base, "scim-group", m.group_id),
                "type": "direct",
            }
            for m in person.access_group_memberships.all()
        ],
        ENTERPRISE: {k: v for k, v in enterprise.items() if v is not None},
        "meta": _meta(base, "User", person, "scim-user", user_version(person), modified),
    }


def stored_user(person) -> User:
    """The User as the provider wrote it, which PATCH operations apply to."""
    profile = profile_of(person)
    name = _name(profile)
    if profile and profile.formatted:
        name["formatted"] = profile.formatted
    enterprise = {"department": _department(person, profile)}
    enterprise["manager"] = _manager(person, "", rendered=False)
    payload = {
        "schemas": [USER, ENTERPRISE],
        "externalId": (profile.external_id or None) if profile else None,
        "userName": person.external_id,
        "name": name or None,
        "displayName": (profile.display_name or None) if profile else None,
        "active": person.active,
        "emails": _emails(person, profile),
        ENTERPRISE: {k: v for k, v in enterprise.items() if v is not None},
    }
    return User.model_validate(_without_none(payload))


def _members(group) -> list:
    return list(group.memberships.all())


def group_payload(group, base: str, *, members: bool = True) -> dict:
    payload = {
        "schemas": [GROUP],
        "id": str(group.pk),
        "externalId": group.external_id or None,
        "displayName": group.display_name,
        "meta": _meta(base, "Group", group, "scim-group", group_version(group), group.updated_at),
    }
    if members:
        payload["members"] = [
            {
                "value": str(m.person_id),
                "display": m.person.full_name,
                "type": "User",
                "$ref": _location(base, "scim-user", m.person_id),
            }
            for m in _members(group)
        ]
    return payload


def stored_group(group) -> Group:
    payload = {
        "schemas": [GROUP],
        "externalId": group.external_id or None,
        "displayName": group.display_name,
        "members": [{"value": str(m.person_id), "type": "User"} for m in _members(group)],
    }
    return Group.model_validate(_without_none(payload))


def _without_none(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if v not in (None, {}, [])}


def dump(model_class, payload: dict, params: ResponseParameters | None) -> dict:
    """The payload as a response: with `attributes` / `excludedAttributes`, through the
    model (which knows what is `returned: always`); without, as built, empty values
    dropped (the model would give the same, at ten times the cost on a list of 1,000)."""
    if params is None:
        return _compact(payload)
    resource = model_class.model_validate(payload, scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    return resource.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=params)


def _compact(value):
    if isinstance(value, dict):
        items = ((k, _compact(v)) for k, v in value.items())
        return {k: v for k, v in items if v not in (None, {}, [])}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


# --- from SCIM ----------------------------------------------------------------------------------


def user_fields(user: User) -> dict:
    """What a User body asks the services to store."""
    name = user.name
    enterprise = user[EnterpriseUser] or EnterpriseUser()
    return {
        "user_name": (user.user_name or "").strip(),
        "external_id": user.external_id or "",
        "name": {
            field: (getattr(name, field, None) or "") if name else ""
            for field in ("formatted", *(f for f, _ in NAME_PARTS))
        },
        "display_name": user.display_name or "",
        "active": True if user.active is None else user.active,
        "emails": [
            {
                "value": str(e.value),
                "type": str(e.type.value if hasattr(e.type, "value") else e.type or ""),
                "primary": e.primary,
                "display": e.display or "",
            }
            for e in user.emails or []
        ],
        "department": enterprise.department,
        "manager": enterprise.manager.value if enterprise.manager else None,
    }


def group_fields(group: Group) -> dict:
    return {
        "display_name": (group.display_name or "").strip(),
        "external_id": group.external_id or "",
        "members": [(m.value, m.type) for m in group.members or []],
    }

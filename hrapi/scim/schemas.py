"""The SCIM resources Redefine serves, as scim2-models classes: only the attributes it stores,
so validation, PATCH, projection and the Schemas document all describe the same thing.

scim2-models (Apache-2.0) reads and writes RFC 7643/7644 payloads; these classes narrow its
User to what a Person keeps and loosen two things Okta and Entra ID send: a manager given as
a bare id, and a manager without `$ref`.
"""

from typing import Annotated, Any

from pydantic import EmailStr, Field, field_validator
from scim2_models import (
    CaseExact,
    ComplexAttribute,
    Extension,
    Mutability,
    Reference,
    Required,
    Resource,
    ScimPolicy,
    Uniqueness,
)
from scim2_models.resources.group import GroupMember
from scim2_models.resources.user import Email as BaseEmail
from scim2_models.resources.user import GroupMembership
from scim2_models.resources.user import Name as BaseName
from scim2_models.urn import URN

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

# What the providers do that the strict reading refuses: Entra ID sends attributes Redefine
# does not keep (title, phoneNumbers) and expects them ignored; it removes members by
# value (`{"op": "Remove", "path": "members", "value": [{"value": "7"}]}`) and writes
# `emails[type eq "work"].value` on a user who has no work e-mail yet.
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)


NAME_LENGTH = 200


class Name(BaseName):
    formatted: str | None = Field(None, max_length=NAME_LENGTH)
    family_name: str | None = Field(None, max_length=NAME_LENGTH)
    given_name: str | None = Field(None, max_length=NAME_LENGTH)
    middle_name: str | None = Field(None, max_length=NAME_LENGTH)
    honorific_prefix: str | None = Field(None, max_length=NAME_LENGTH)
    honorific_suffix: str | None = Field(None, max_length=NAME_LENGTH)


class Email(BaseEmail):
    value: Annotated[EmailStr | None, Required.true] = Field(None, max_length=254)


class Manager(ComplexAttribute):
    value: Annotated[str | None, CaseExact.true] = None
    """The manager's User id."""

    ref: Annotated[Reference["User"] | None, Mutability.read_only] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    display_name: Annotated[str | None, Mutability.read_only] = None


class EnterpriseUser(Extension):
    __schema__ = URN(ENTERPRISE)

    employee_number: Annotated[str | None, Mutability.read_only] = None
    """Same as userName: the HR system's external_id."""

    department: str | None = Field(None, max_length=NAME_LENGTH)
    """Stored as sent; links the person to the org unit of that external_id or name."""

    manager: Manager | None = None

    @field_validator("manager", mode="before")
    @classmethod
    def _bare_manager_id(cls, value):
        """Entra ID sends `"manager": "12"` where the RFC has `{"value": "12"}`."""
        return {"value": value} if isinstance(value, str) else value


class User(Resource[EnterpriseUser]):
    __schema__ = URN(USER)

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = Field(None, max_length=64)
    """The HR system's external_id; unique ignoring case; it cannot be renamed."""

    name: Name | None = None
    display_name: str | None = Field(None, max_length=NAME_LENGTH)
    active: bool | None = None
    emails: list[Email] | None = None
    groups: Annotated[list[GroupMembership] | None, Mutability.read_only] = None


class Group(Resource[Any]):
    __schema__ = URN(GROUP)

    display_name: Annotated[str | None, Required.true] = Field(None, max_length=NAME_LENGTH)
    members: list[GroupMember] | None = None

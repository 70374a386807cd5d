"""SCIM discovery documents (RFC 7643 §5–7): ServiceProviderConfig, ResourceTypes, Schemas."""

from hrapi.scim.resources import ENTERPRISE, GROUP, USER

MAX_RESULTS = 1000


def _attr(
    name,
    type_="string",
    *,
    multi=False,
    required=False,
    mutability="readWrite",
    returned="default",
    uniqueness="none",
    case_exact=False,
    sub=None,
    ref_types=None,
    description="",
):
    attribute = {
        "name": name,
        "type": type_,
        "multiValued": multi,
        "description": description or name,
        "required": required,
        "caseExact": case_exact,
        "mutability": mutability,
        "returned": returned,
        "uniqueness": uniqueness,
    }
    if sub:
        attribute["subAttributes"] = sub
    if ref_types:
        attribute["referenceTypes"] = ref_types
    return attribute


USER_ATTRIBUTES = [
    _attr(
        "userName",
        required=True,
        uniqueness="server",
        description="The HR system's external_id of the person.",
    ),
    _attr("name", "complex", sub=[_attr("formatted"), _attr("givenName"), _attr("familyName")]),
    _attr("displayName"),
    _attr("active", "boolean"),
    _attr(
        "emails",
        "complex",
        multi=True,
        sub=[
            _attr("value"),
            _attr("type"),
            _attr("primary", "boolean"),
        ],
    ),
    _attr(
        "groups",
        "complex",
        multi=True,
        mutability="readOnly",
        sub=[
            _attr("value", mutability="readOnly"),
            _attr("display", mutability="readOnly"),
            _attr("$ref", "reference", mutability="readOnly", ref_types=["Group"]),
        ],
    ),
]
ENTERPRISE_ATTRIBUTES = [
    _attr("employeeNumber", mutability="readOnly", description="Same as userName."),
    _attr("department", description="The name of the person's org unit."),
    _attr(
        "manager",
        "complex",
        sub=[
            _attr("value", description="The manager's User id."),
            _attr("$ref", "reference", ref_types=["User"]),
            _attr("displayName", mutability="readOnly"),
        ],
    ),
]
GROUP_ATTRIBUTES = [
    _attr("displayName", required=True),
    _attr("externalId", case_exact=True, description="The org unit's external_id."),
    _attr(
        "members",
        "complex",
        multi=True,
        sub=[
            _attr("value", mutability="immutable"),
            _attr("display", mutability="readOnly"),
            _attr("type", mutability="immutable"),
            _attr("$ref", "reference", mutability="immutable", ref_types=["User"]),
        ],
    ),
]
SCHEMA_DOCS = {
    USER: ("User", "User Account: a person in the organisation", USER_ATTRIBUTES),
    ENTERPRISE: ("EnterpriseUser", "Enterprise User", ENTERPRISE_ATTRIBUTES),
    GROUP: ("Group", "Group: an org unit", GROUP_ATTRIBUTES),
}
SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"


def schema_document(urn: str, base: str) -> dict:
    name, description, attributes = SCHEMA_DOCS[urn]
    return {
        "schemas": [SCHEMA],
        "id": urn,
        "name": name,
        "description": description,
        "attributes": attributes,
        "meta": {"resourceType": "Schema", "location": f"{base}/Schemas/{urn}"},
    }


def resource_types(base: str) -> dict[str, dict]:
    return {
        "User": {
            "schemas": [RESOURCE_TYPE],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "People (Person)",
            "schema": USER,
            "schemaExtensions": [{"schema": ENTERPRISE, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/User"},
        },
        "Group": {
            "schemas": [RESOURCE_TYPE],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Org units",
            "schema": GROUP,
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/Group"},
        },
    }


def service_provider_config(base: str) -> dict:
    return {
        "schemas": [CONFIG],
        "documentationUri": "/api/docs/",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": True},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "An API client's token with the scim scope.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base}/ServiceProviderConfig",
        },
    }

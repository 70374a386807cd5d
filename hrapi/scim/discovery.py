"""SCIM discovery documents (RFC 7643 §5–7): ServiceProviderConfig, ResourceTypes, Schemas.

The Schemas come from the resource classes themselves (hrapi.scim.schemas), so they list
exactly the attributes Redefine stores, with the mutability it enforces.
"""

from scim2_models import Context

from hrapi.scim.filters import MAX_TERMS
from hrapi.scim.schemas import ENTERPRISE, GROUP, USER, EnterpriseUser, Group, User

MAX_RESULTS = 1000
RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
DESCRIPTIONS = {
    USER: "A person: userName is the HR external_id.",
    ENTERPRISE: "Enterprise User: department (linked to an org unit) and manager.",
    GROUP: "An access group, which an HR admin may map to a Redefine role.",
}


def schema_documents(base: str) -> dict[str, dict]:
    documents = {}
    for model in (User, EnterpriseUser, Group):
        document = model.to_schema().model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        document["description"] = DESCRIPTIONS[document["id"]]
        document["meta"] = {
            "resourceType": "Schema",
            "location": f"{base}/Schemas/{document['id']}",
        }
        documents[document["id"]] = document
    return documents


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
            "description": "Access groups; their members are Users",
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
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": (
                    "An API client's token with the scim scope. Filters take at most "
                    f"{MAX_TERMS} comparisons."
                ),
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base}/ServiceProviderConfig",
        },
    }

"""SCIM fixtures: a client holding the scim scope that speaks application/scim+json."""

import json

import pytest

SCIM = "application/scim+json"


class ScimClient:
    """Sends and reads application/scim+json, as identity systems do."""

    def __init__(self, api):
        self.api = api

    def _send(self, method, path, body=None, content_type=SCIM, **headers):
        data = json.dumps(body) if body is not None else None
        return self.api.generic(
            method,
            f"/scim/v2{path}",
            data or "",
            content_type=content_type,
            HTTP_ACCEPT=SCIM,
            **headers,
        )

    def send(self, method, path, body=None, **headers):
        """Any method with extra headers (HTTP_IF_MATCH=...)."""
        return self._send(method, path, body, **headers)

    def get(self, path):
        return self._send("GET", path)

    def post(self, path, body, **kwargs):
        return self._send("POST", path, body, **kwargs)

    def put(self, path, body):
        return self._send("PUT", path, body)

    def patch(self, path, *operations):
        body = {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": list(operations),
        }
        return self._send("PATCH", path, body)

    def delete(self, path):
        return self._send("DELETE", path)


@pytest.fixture
def scim(client_with_scopes):
    return ScimClient(client_with_scopes("scim", name="idp"))


@pytest.fixture
def new_user(scim):
    def make(user_name="bjensen", **extra):
        body = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": user_name,
            "name": {"givenName": "Barbara", "familyName": "Jensen"},
            "emails": [{"value": f"{user_name}@example.com", "type": "work", "primary": True}],
            "active": True,
            **extra,
        }
        response = scim.post("/Users", body)
        assert response.status_code == 201, response.content
        return response.json()

    return make

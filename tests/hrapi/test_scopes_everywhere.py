"""Every v1 endpoint in the schema refuses a token that lacks its scope, and anonymous calls."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def operations(client):
    schema = client.get("/api/schema/?format=json").json()
    return [
        (path, method)
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method in methods
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _concrete(path: str) -> str:
    # Any id will do: permission is checked before the object is looked up.
    return "/".join("1" if part.startswith("{") else part for part in path.split("/"))


def test_a_token_without_scopes_is_refused_everywhere(client_with_scopes, operations):
    api = client_with_scopes()
    refused = {
        (path, method): getattr(api, method)(_concrete(path), {}, format="json").status_code
        for path, method in operations
    }
    assert refused and all(code == 403 for code in refused.values()), {
        k: v for k, v in refused.items() if v != 403
    }


def test_anonymous_calls_are_refused_everywhere(api, operations):
    statuses = {
        (path, method): getattr(api, method)(_concrete(path), {}, format="json").status_code
        for path, method in operations
    }
    assert all(code == 401 for code in statuses.values()), {
        k: v for k, v in statuses.items() if v != 401
    }

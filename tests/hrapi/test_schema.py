"""The OpenAPI schema validates, documents every error response, and the docs load locally."""

import re

import pytest
import schemathesis
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_a_valid_openapi_3_document(schema):
    validate_schema(schema)  # the official OpenAPI 3.0 JSON schema, raises when invalid
    loaded = schemathesis.openapi.from_dict(schema)
    operations = [op for op in loaded.get_all_operations() if op.ok()]
    assert len(operations) >= 10


def test_every_v1_operation_documents_the_shared_errors(schema):
    operations = [
        (path, method, op)
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method, op in ops.items()
    ]
    assert operations
    for path, method, op in operations:
        assert {"400", "401", "403", "404", "429"} <= set(op["responses"]), (path, method)
        if method in ("post", "put", "patch", "delete"):
            assert "409" in op["responses"], (path, method)


def test_bulk_endpoints_document_the_invalid_rows_shape(schema):
    bulk = schema["paths"]["/api/v1/people/bulk/"]["post"]["responses"]["400"]
    refs = [s["$ref"] for s in bulk["content"]["application/json"]["schema"]["oneOf"]]
    assert "#/components/schemas/InvalidRows" in refs
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message"]


def test_the_people_endpoints_use_the_contract_fields(schema):
    person = schema["components"]["schemas"]["Person"]["properties"]
    assert {
        "external_id",
        "full_name",
        "email",
        "org_unit_external_id",
        "manager_external_id",
        "active",
    } <= set(person)
    assert "bearerAuth" in schema["components"]["securitySchemes"]


def test_the_docs_page_loads_only_local_assets_and_no_inline_script(client):
    response = client.get("/api/docs/")
    page = response.content.decode()
    assert response.status_code == 200
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script>" not in page  # the CSP (script-src 'self') would block it
    script = re.search(r'<script src="([^"]*script=[^"]*)"', page).group(1)
    init = client.get(script.replace("&amp;", "&"))
    assert init.status_code == 200 and "SwaggerUIBundle" in init.content.decode()
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert client.get(asset).status_code == 200, asset

"""SCIM under the same guard: deep JSON, unstorable text, bounded filters and numbers, the
SCIM error shape for every refusal."""

import json

import pytest

pytestmark = pytest.mark.django_db

SCIM = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def _scim(send, client, method, path, raw=None):
    response = send(client, method, f"/scim/v2{path}", raw, content_type=SCIM)
    assert response["Content-Type"].startswith(SCIM), response["Content-Type"]
    return response


def test_deep_json_is_invalid_syntax(scim_api, send):
    response = _scim(send, scim_api, "POST", "/Users", "[" * 10_000 + "]" * 10_000)
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidSyntax"


@pytest.mark.parametrize("bad", ["\\u0000", "\\ud800"])
def test_a_user_name_with_nul_or_a_lone_surrogate_is_refused_naming_it(scim_api, send, bad):
    raw = '{"schemas": ["' + USER + '"], "userName": "E' + bad + '"}'
    response = _scim(send, scim_api, "POST", "/Users", raw)
    assert response.status_code == 400
    assert "userName" in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "filter=" + "(" * 400 + 'userName eq "a"' + ")" * 400,
        "filter=" + " or ".join(['userName eq "a"'] * 1500),
        "filter=userName%20eq%20%22%00%22",
        "startIndex=99999999999999999999999",
        "count=99999999999999999999999",
        "startIndex=abc",
        "sortBy=%00",
    ],
)
def test_lists_refuse_unbounded_queries(scim_api, send, query):
    response = _scim(send, scim_api, "GET", f"/Users?{query}")
    assert response.status_code in (200, 400)


def test_a_23_digit_member_value_is_a_400(scim_api, send):
    group = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "Leaders",
        "members": [{"value": "1" * 23}],
    }
    response = _scim(send, scim_api, "POST", "/Groups", json.dumps(group))
    assert response.status_code in (400, 404)


def test_a_huge_id_in_the_path_is_a_404(scim_api, send):
    assert _scim(send, scim_api, "GET", "/Users/" + "9" * 30).status_code == 404
    assert _scim(send, scim_api, "DELETE", "/Groups/" + "9" * 30).status_code == 404

"""Hostile or broken SCIM input gets a 4xx in the SCIM error shape, quickly, and writes
nothing: filter bombs, huge numbers, NUL and lone surrogates, bodies of the wrong shape."""

import json
import time

import pytest

from people.models import Person

pytestmark = pytest.mark.django_db
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

NESTED = "(" * 400 + 'userName eq "x"' + ")" * 400
CHAINED = " or ".join(['userName eq "x"'] * 1500)
SHORT_CHAIN = " or ".join(["a pr"] * 150)
FILTER_BOMBS = [NESTED, CHAINED, SHORT_CHAIN, 'userName eq "' + "x" * 5000 + '"']


@pytest.fixture(autouse=True)
def warm(scim):
    """The first request of a process loads every URLconf; time the bombs, not that."""
    scim.get("/ServiceProviderConfig")


def _quick_400(response, started, scim_type="invalidFilter"):
    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == scim_type
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("text", FILTER_BOMBS, ids=["nested", "chained", "many", "long"])
def test_a_filter_bomb_in_a_list_is_a_quick_400(scim, text):
    started = time.monotonic()
    _quick_400(scim.get(f"/Users?filter={text}"), started)


@pytest.mark.parametrize("text", FILTER_BOMBS, ids=["nested", "chained", "many", "long"])
def test_a_filter_bomb_in_a_search_body_is_a_quick_400(scim, text):
    started = time.monotonic()
    _quick_400(scim.post("/Groups/.search", {"schemas": [SEARCH], "filter": text}), started)


@pytest.mark.parametrize(
    "inner",
    [
        "(" * 400 + 'type eq "work"' + ")" * 400,
        " or ".join(['type eq "work"'] * 1500),
    ],
    ids=["nested", "chained"],
)
def test_a_filter_bomb_in_a_patch_path_is_a_quick_400(scim, new_user, inner):
    user = new_user()
    started = time.monotonic()
    response = scim.patch(
        f"/Users/{user['id']}",
        {"op": "replace", "path": f"emails[{inner}].value", "value": "a@b.org"},
    )
    _quick_400(response, started)
    path_less = scim.patch(
        f"/Users/{user['id']}", {"op": "replace", "value": {f"emails[{inner}].value": "a@b.org"}}
    )
    _quick_400(path_less, started)


def test_a_nul_or_a_huge_number_in_a_filter_is_answered_cleanly(scim, new_user):
    new_user()
    assert scim.get('/Users?filter=userName eq "a\\u0000b"').status_code == 400
    for query in (
        'filter=id eq "99999999999999999999999"',
        'filter=enterprise:manager.value eq "99999999999999999999999"',
        'filter=groups.value eq "12345678901234567890123"',
    ):
        response = scim.get(f"/Users?{query}".replace("enterprise:", _ENTERPRISE + ":"))
        assert response.status_code == 200, response.content
        assert response.json()["totalResults"] == 0


_ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def test_paging_numbers_out_of_range_are_clamped_or_refused(scim, new_user):
    new_user()
    huge = scim.get("/Users?startIndex=99999999999999999999999&count=99999999999999999999999")
    assert huge.status_code == 200 and huge.json()["Resources"] == []
    assert huge.json()["totalResults"] == 1
    assert scim.get("/Users?startIndex=-5&count=-1").json()["itemsPerPage"] == 0
    for query in ("startIndex=abc", "count=1.5"):
        response = scim.get(f"/Users?{query}")
        assert response.status_code == 400 and response.json()["scimType"] == "invalidValue"


def test_ids_no_primary_key_can_hold_are_404s(scim):
    for pk in ("12345678901234567890123", "0", "-1", "abc"):
        assert scim.get(f"/Users/{pk}").status_code == 404
        assert scim.delete(f"/Groups/{pk}").status_code == 404


@pytest.mark.parametrize("text", ["a\u0000b", "\ud800"], ids=["nul", "lone-surrogate"])
def test_nul_and_lone_surrogates_in_a_body_are_400s_naming_the_field(scim, text):
    body = json.dumps({"userName": "E1", "name": {"givenName": text}})
    response = scim.api.generic(
        "POST", "/scim/v2/Users", body, content_type="application/scim+json"
    )
    assert response.status_code == 400 and "name.givenName" in response.json()["detail"]
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        [],
        "user",
        {"userName": ["E1"]},
        {"userName": "E1", "emails": "a@b.org"},
        {"userName": "E1", "emails": [{"value": 5}]},
        {"userName": "E1", "active": "perhaps"},
        {"userName": "E1", "name": "Maria"},
        {"userName": "x" * 65},
        {"userName": "E1", "externalId": "x" * 256},
        {"userName": "E1", "name": {"givenName": "x" * 201}},
        {"userName": "E1", _ENTERPRISE: {"manager": {"value": "99999999999999999999999"}}},
        {"userName": "E1", _ENTERPRISE: "Sales"},
    ],
)
def test_bodies_of_the_wrong_shape_are_400s(scim, body):
    response = scim.post("/Users", body)
    assert response.status_code == 400, response.content
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    "operations",
    [
        None,
        [],
        "replace",
        [{"op": "frob", "path": "active"}],
        [{"op": "remove"}],
        [{"op": "replace", "path": "active"}],
        [{"op": "replace", "path": "groups", "value": []}],
        [{"op": "replace", "path": "id", "value": "9"}],
        [{"op": "replace", "path": "meta.version", "value": "x"}],
        [{"op": "remove", "path": "userName"}],
        [{"op": "replace", "path": "nick[", "value": "x"}],
        [{"op": "replace", "value": {"id": "99999"}}],
        [{"op": "replace", "path": "emails", "value": {"value": []}}],
    ],
)
def test_bad_patches_are_400s_and_change_nothing(scim, new_user, operations):
    user = new_user()
    body = {"schemas": [PATCH], "Operations": operations}
    response = scim.send("PATCH", f"/Users/{user['id']}", body)
    assert response.status_code == 400, response.content
    assert scim.get(f"/Users/{user['id']}").json()["meta"]["version"] == user["meta"]["version"]


def test_a_body_nested_ten_thousand_deep_is_invalid_syntax(scim, new_user):
    user = new_user()
    deep = "[" * 10000 + "]" * 10000
    for method, url, body in (
        ("POST", "/scim/v2/Users", deep),
        ("PATCH", f"/scim/v2/Users/{user['id']}", '{"Operations": ' + deep + "}"),
    ):
        response = scim.api.generic(method, url, body, content_type="application/scim+json")
        assert response.status_code == 400 and response.json()["scimType"] == "invalidSyntax"

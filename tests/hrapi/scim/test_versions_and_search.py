"""ETag / meta.version / lastModified on every change, If-Match (412), POST .search and
attributes / excludedAttributes on every read."""

import pytest

pytestmark = pytest.mark.django_db
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"


def _version(scim, path) -> tuple[str, str, str]:
    response = scim.get(path)
    body = response.json()
    return response["ETag"], body["meta"]["version"], body["meta"]["lastModified"]


def test_a_user_version_changes_on_every_change_and_not_on_a_resend(scim, new_user):
    user = new_user()
    url = f"/Users/{user['id']}"
    first = _version(scim, url)
    assert first[0] == first[1] == user["meta"]["version"]
    scim.patch(url, {"op": "replace", "path": "name.givenName", "value": "Barbara"})
    assert _version(scim, url) == first  # the same value again changes nothing
    scim.patch(url, {"op": "replace", "path": "name.givenName", "value": "Babs"})
    second = _version(scim, url)
    assert second[0] != first[0] and second[2] > first[2]
    scim.patch(url, {"op": "add", "path": "externalId", "value": "x-1"})
    assert _version(scim, url)[0] != second[0]


def test_a_group_version_and_last_modified_change_when_members_change(scim, new_user):
    user = new_user()
    group = scim.post("/Groups", {"displayName": "G"}).json()
    url = f"/Groups/{group['id']}"
    before = _version(scim, url)
    scim.patch(url, {"op": "add", "path": "members", "value": [{"value": user["id"]}]})
    after = _version(scim, url)
    assert after[0] != before[0] and after[2] > before[2]


def test_a_user_version_changes_when_their_groups_change(scim, new_user):
    user = new_user()
    before = _version(scim, f"/Users/{user['id']}")
    scim.post("/Groups", {"displayName": "G", "members": [{"value": user["id"]}]})
    after = _version(scim, f"/Users/{user['id']}")
    assert after[0] != before[0] and after[2] > before[2]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_stale_if_match_is_a_412_and_changes_nothing(scim, new_user, method):
    user = new_user()
    url = f"/Users/{user['id']}"
    stale = user["meta"]["version"]
    scim.patch(url, {"op": "replace", "path": "displayName", "value": "Changed"})
    bodies = {
        "put": {"schemas": [USER], "userName": "bjensen", "displayName": "Lost"},
        "patch": {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "displayName", "value": "Lost"}],
        },
        "delete": None,
    }
    response = scim.send(method.upper(), url, bodies[method], HTTP_IF_MATCH=stale)
    assert response.status_code == 412, response.content
    assert scim.get(url).json()["displayName"] == "Changed"


def test_the_current_if_match_or_a_star_lets_the_write_through(scim, new_user):
    user = new_user()
    url = f"/Users/{user['id']}"
    current = scim.get(url)["ETag"]
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "displayName", "value": "One"}],
    }
    assert scim.send("PATCH", url, body, HTTP_IF_MATCH=current).status_code == 200
    assert scim.send("PATCH", url, body, HTTP_IF_MATCH="*").status_code == 200


def test_a_stale_if_match_on_a_group_is_a_412(scim, new_user):
    group = scim.post("/Groups", {"displayName": "G"}).json()
    url = f"/Groups/{group['id']}"
    scim.patch(url, {"op": "replace", "path": "displayName", "value": "H"})
    response = scim.send("DELETE", url, None, HTTP_IF_MATCH=group["meta"]["version"])
    assert response.status_code == 412 and scim.get(url).status_code == 200


def test_users_search_takes_a_search_request_body(scim, new_user):
    for name in ("alpha", "bravo", "charlie"):
        new_user(name)
    response = scim.post(
        "/Users/.search",
        {
            "schemas": [SEARCH],
            "filter": 'userName sw "b" or userName sw "c"',
            "attributes": ["userName"],
            "sortBy": "userName",
            "sortOrder": "descending",
            "startIndex": 1,
            "count": 10,
        },
    )
    assert response.status_code == 200, response.content
    resources = response.json()["Resources"]
    assert all(set(r) == {"schemas", "id", "userName"} for r in resources)
    assert [r["userName"] for r in response.json()["Resources"]] == ["charlie", "bravo"]


def test_groups_search_takes_a_search_request_body(scim):
    scim.post("/Groups", {"displayName": "Leads"})
    scim.post("/Groups", {"displayName": "Others"})
    response = scim.post(
        "/Groups/.search", {"schemas": [SEARCH], "filter": 'displayName eq "leads"'}
    )
    assert [g["displayName"] for g in response.json()["Resources"]] == ["Leads"]


def test_a_search_with_the_wrong_schema_is_refused(scim):
    response = scim.post("/Users/.search", {"schemas": [USER], "filter": "userName pr"})
    assert response.status_code == 400 and response.json()["scimType"] == "invalidSyntax"


def test_attributes_and_excluded_attributes_apply_to_every_read(scim, new_user):
    user = new_user()
    url = f"/Users/{user['id']}"
    single = scim.get(f"{url}?attributes=userName,name.givenName").json()
    assert single == {
        "schemas": [USER],
        "id": user["id"],
        "userName": "bjensen",
        "name": {"givenName": "Barbara"},
    }
    listed = scim.get("/Users?excludedAttributes=emails,meta").json()["Resources"][0]
    assert "emails" not in listed and "meta" not in listed and listed["userName"] == "bjensen"
    created = scim.post("/Users?attributes=userName", {"userName": "other"}).json()
    assert set(created) == {"schemas", "id", "userName"}
    patched = scim.patch(
        f"{url}?excludedAttributes=name", {"op": "replace", "path": "active", "value": False}
    ).json()
    assert "name" not in patched and patched["active"] is False


def test_a_plain_read_is_what_the_scim_model_itself_would_render(scim, new_user):
    from scim2_models import Context

    from hrapi.scim.schemas import User

    boss = new_user("boss")
    user = new_user(
        name={"givenName": "Ana", "middleName": "L", "familyName": "Pérez"},
        emails=[{"value": "a@x.org", "type": "work", "primary": True}, {"value": "b@x.org"}],
        **{
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "department": "Skunkworks",
                "manager": {"value": boss["id"]},
            }
        },
    )
    scim.post("/Groups", {"displayName": "G", "members": [{"value": user["id"]}]})
    plain = scim.get(f"/Users/{user['id']}").json()
    model = User.model_validate(plain, scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    assert model.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) == plain

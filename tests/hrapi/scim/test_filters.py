"""SCIM list filters, paging, sorting and attribute selection on Users and Groups."""

import pytest

pytestmark = pytest.mark.django_db
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.mark.parametrize(
    "text",
    [
        "userName",
        'userName zz "a"',
        'userName eq "a" and',
        "(userName pr",
        'userName eq "a" ]',
        "userName eq bare",
        'a eq "unterminated',
    ],
)
def test_broken_filters_are_400_invalid_filter(scim, text):
    response = scim.get(f"/Users?filter={text}")
    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidFilter"


@pytest.fixture
def three_users(new_user):
    users = [new_user(name) for name in ("alpha", "bravo", "charlie")]
    return {u["userName"]: u for u in users}


def _names(scim, query):
    response = scim.get(f"/Users?{query}")
    assert response.status_code == 200, response.content
    return [r["userName"] for r in response.json()["Resources"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('filter=userName eq "BRAVO"', ["bravo"]),
        ('filter=USERNAME ne "bravo"', ["alpha", "charlie"]),
        ('filter=userName co "ar"', ["charlie"]),
        ('filter=userName sw "al"', ["alpha"]),
        ('filter=userName ew "o"', ["bravo"]),
        ("filter=emails pr", ["alpha", "bravo", "charlie"]),
        ('filter=userName gt "alpha"', ["bravo", "charlie"]),
        ('filter=userName le "bravo"', ["alpha", "bravo"]),
        ('filter=userName eq "alpha" or userName eq "charlie"', ["alpha", "charlie"]),
        ('filter=not (userName eq "alpha") and active eq true', ["bravo", "charlie"]),
        ('filter=emails[type eq "work" and value sw "brav"]', ["bravo"]),
        ('filter=emails[type eq "home" and value sw "brav"]', []),
        ('filter=emails[value sw "brav"]', ["bravo"]),
        ('filter=emails.value eq "charlie@example.com"', ["charlie"]),
        (f'filter={ENTERPRISE}:employeeNumber eq "alpha"', ["alpha"]),
        ('filter=urn:ietf:params:scim:schemas:core:2.0:User:userName eq "alpha"', ["alpha"]),
        ('filter=meta.lastModified gt "2000-01-01T00:00:00Z"', ["alpha", "bravo", "charlie"]),
        ("filter=active eq false", []),
    ],
)
def test_user_filters(scim, three_users, query, expected):
    assert _names(scim, query.replace("+", "%2B")) == expected


def test_a_filter_on_an_unknown_attribute_or_a_boolean_range_is_invalid(scim, three_users):
    for query in ('filter=nickName eq "x"', "filter=active gt true", "filter=userName eq"):
        response = scim.get(f"/Users?{query}")
        assert response.status_code == 400
        assert response.json()["scimType"] == "invalidFilter"


def test_paging_with_start_index_and_count(scim, three_users):
    body = scim.get("/Users?startIndex=2&count=1").json()
    assert body["totalResults"] == 3 and body["startIndex"] == 2 and body["itemsPerPage"] == 1
    assert [r["userName"] for r in body["Resources"]] == ["bravo"]
    assert scim.get("/Users?count=0").json()["Resources"] == []
    assert scim.get("/Users?startIndex=0").json()["startIndex"] == 1
    assert scim.get("/Users?count=abc").status_code == 400


def test_sorting_by_user_name_descending(scim, three_users):
    assert _names(scim, "sortBy=userName&sortOrder=descending") == ["charlie", "bravo", "alpha"]


def test_attributes_and_excluded_attributes(scim, three_users):
    body = scim.get('/Users?attributes=userName,name.givenName&filter=userName eq "alpha"').json()
    user = body["Resources"][0]
    assert set(user) == {"schemas", "id", "userName", "name"}
    assert user["name"] == {"givenName": "Barbara"}
    one = scim.get(f"/Users/{three_users['alpha']['id']}?excludedAttributes=emails,meta").json()
    assert "emails" not in one and "meta" not in one and one["id"]
    ext = scim.get(f"/Users/{three_users['alpha']['id']}?attributes={ENTERPRISE}:employeeNumber")
    assert ext.json()[ENTERPRISE] == {"employeeNumber": "alpha"}


def test_the_user_list_costs_the_same_queries_at_two_sizes(
    scim, new_user, django_assert_num_queries
):
    new_user("first")
    scim.get("/Users")
    # token, count, page (unit, manager, login, SCIM profile joined), e-mails, group memberships
    with django_assert_num_queries(5):
        scim.get("/Users")
    for n in range(8):
        member = new_user(f"more{n}")
        scim.post("/Groups", {"displayName": f"G{n}", "members": [{"value": member["id"]}]})
    with django_assert_num_queries(5):
        scim.get("/Users")


def test_the_group_list_costs_the_same_queries_at_two_sizes(
    scim, new_user, django_assert_num_queries
):
    scim.post("/Groups", {"displayName": "First"})
    # token, count, page, memberships with their people
    with django_assert_num_queries(4):
        scim.get("/Groups")
    for n in range(5):
        member = new_user(f"member{n}")
        scim.post("/Groups", {"displayName": f"Group {n}", "members": [{"value": member["id"]}]})
    with django_assert_num_queries(4):
        scim.get("/Groups")

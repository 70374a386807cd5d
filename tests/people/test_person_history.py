"""A person's history, as a dispute needs it: `GET /api/v1/people/{external_id}/history/` and
the HR admin's page. Who (a user, an API client, the system), when, what changed from what to
what, and why; one entry per real change; HR admins and `people:read` clients only."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from people.services import person_link_user


@pytest.fixture
def hris(client_with_scopes):
    return client_with_scopes("people:read", "people:write", name="hris")


def _history(api, external_id="P-CAROL", **params):
    answer = api.get(f"/api/v1/people/{external_id}/history/", params)
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_each_change_says_who_when_what_from_what_to_what(carol, hris, hilda):
    hris.patch("/api/v1/people/P-CAROL/", {"full_name": "Carol Smith"}, format="json")
    admin = Client()
    admin.force_login(hilda)
    person = carol.person
    admin.post(
        f"/admin/people/person/{person.pk}/change/",
        {"external_id": "P-CAROL", "full_name": "Carol Smith", "email": "cs@example.com",
         "org_unit": person.org_unit_id, "active": "on"},
    )  # fmt: skip
    body = _history(hris)
    assert body["count"] == 3  # created, renamed by the HR system, e-mail by hilda
    by_admin, by_system, created = body["results"]
    assert by_admin["actor"] == {"type": "user", "name": "hilda"}
    assert by_admin["changes"] == [
        {"field": "email", "label": "Email", "from": "carol@example.com", "to": "cs@example.com"}
    ]
    assert by_system["actor"] == {"type": "api_client", "name": "hris"}
    assert by_system["changes"] == [
        {"field": "full_name", "label": "Full name", "from": "Carol", "to": "Carol Smith"}
    ]
    assert by_system["subject"] == {"type": "person", "id": person.pk, "name": "Carol Smith"}
    assert created["action"] == "created"
    assert created["actor"] == {"type": "system", "name": "the system"}
    assert {c["field"]: c["to"] for c in created["changes"]}["org_unit"] == "Team one"


def test_a_resent_row_or_an_empty_save_adds_no_entry(carol, hris, hilda):
    row = {"rows": [{"external_id": "P-CAROL", "full_name": "Carol"}]}
    hris.post("/api/v1/people/bulk/", row, format="json")
    hris.patch("/api/v1/people/P-CAROL/", {"email": "carol@example.com"}, format="json")
    admin = Client()
    admin.force_login(hilda)
    person = carol.person
    admin.post(
        f"/admin/people/person/{person.pk}/change/",
        {"external_id": "P-CAROL", "full_name": "Carol", "email": "carol@example.com",
         "org_unit": person.org_unit_id, "active": "on"},
    )  # fmt: skip
    assert _history(hris)["count"] == 1


def test_a_new_login_says_why_and_who_decided(carol, hilda, hris):
    robert = User.objects.create_user("carol.smith", password="x" * 16)
    person_link_user(person=carol.person, user=robert, by=hilda, reason="New SSO account.")
    [latest, *_] = _history(hris)["results"]
    assert latest["reason"] == "New SSO account."
    assert latest["actor"]["name"] == "hilda"
    assert latest["changes"] == [
        {"field": "user", "label": "User", "from": "carol", "to": "carol.smith"}
    ]


def test_a_manager_and_a_unit_read_as_names(carol, dan, hris, org):
    hris.patch("/api/v1/people/P-CAROL/", {"manager_external_id": "P-DAN"}, format="json")
    [latest, *_] = _history(hris)["results"]
    assert latest["changes"] == [
        {"field": "manager", "label": "Manager", "from": None, "to": "Dan"}
    ]


@pytest.mark.parametrize("who", ["carol", "dan", "bob", "mallory"])
def test_people_other_than_hr_admins_cannot_read_a_persons_history(who, api, request, carol):
    api.force_authenticate(request.getfixturevalue(who))
    answer = api.get("/api/v1/people/P-CAROL/history/")
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"


def test_an_hr_admin_reads_it_and_a_client_needs_people_read(api, hilda, carol, client_with_scopes):
    api.force_authenticate(hilda)
    assert api.get("/api/v1/people/P-CAROL/history/").status_code == 200
    assert (
        client_with_scopes("metrics:read").get("/api/v1/people/P-CAROL/history/").status_code == 403
    )
    assert api.get("/api/v1/people/NOBODY/history/").status_code == 404


def test_anonymous_callers_get_nothing(carol, api):
    assert api.get("/api/v1/people/P-CAROL/history/").status_code in (401, 403)


def test_the_history_is_paginated_and_costs_the_same_queries_at_any_length(
    carol, hris, django_assert_num_queries
):
    hris.get("/api/v1/people/P-CAROL/")  # the token's first use is recorded once
    for n in range(3):
        hris.patch("/api/v1/people/P-CAROL/", {"full_name": f"Carol {n}"}, format="json")
    # token, the person, their history records, their login's role grants and withdrawals;
    # the logins, API clients and org units named in them (one query per kind, whatever
    # the number of records)
    with django_assert_num_queries(7):
        assert _history(hris)["count"] == 4
    for n in range(40):
        hris.patch("/api/v1/people/P-CAROL/", {"full_name": f"Carol {n + 3}"}, format="json")
    with django_assert_num_queries(7):
        page = _history(hris, page_size=10, page=2)
    assert page["count"] == 44 and len(page["results"]) == 10 and page["next"]
    assert hris.get("/api/v1/people/P-CAROL/history/?page=0").status_code == 400


def test_the_schema_documents_both_history_endpoints(api):
    schema = api.get("/api/schema/?format=json").json()
    person = schema["paths"]["/api/v1/people/{external_id}/history/"]["get"]
    pilot = schema["paths"]["/api/v1/pilots/{id}/history/"]["get"]
    for operation in (person, pilot):
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok["$ref"].endswith("/HistoryPage")
    entry = schema["components"]["schemas"]["HistoryChange"]["properties"]
    assert set(entry) == {"field", "label", "from", "to"}


def test_hr_admins_read_it_on_a_page_and_nobody_else_does(carol, hilda, hris):
    hris.patch("/api/v1/people/P-CAROL/", {"full_name": "Carol <b>Smith</b>"}, format="json")
    browser = Client()
    browser.force_login(hilda)
    page = browser.get("/people/P-CAROL/history/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Carol → Carol &lt;b&gt;Smith&lt;/b&gt;" in html
    assert "hris" in html and "(API client)" in html
    browser.force_login(carol)
    assert browser.get("/people/P-CAROL/history/").status_code == 403


def test_the_admin_links_to_the_history_page(carol, hilda):
    browser = Client()
    browser.force_login(hilda)
    page = browser.get(f"/admin/people/person/{carol.person.pk}/change/").content.decode()
    assert "/people/P-CAROL/history/" in page

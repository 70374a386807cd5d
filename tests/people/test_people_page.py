"""The /people/ page: HR admins (and portfolio leaders, read-only) find anyone by name,
external id or e-mail, filter by org unit and status, and read each person's org unit path,
manager, roles and last login, page by page, at a constant number of queries."""

import pytest
from django.contrib.auth.models import User

from people.models import OrgUnit, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(org):
    division = OrgUnit.objects.create(external_id="CLAIMS", name="Claims", kind="division")
    return OrgUnit.objects.create(
        external_id="CLAIMS-1", name="Claims team 1", kind="team", parent=division
    )


def _people(n, unit, manager=None, start=0):
    people = []
    for i in range(start, start + n):
        user = User.objects.create_user(username=f"u{i:04d}")
        people.append(
            Person.objects.create(
                external_id=f"E{i:04d}",
                full_name=f"Person {i:04d}",
                email=f"p{i}@example.com",
                org_unit=unit,
                manager=manager,
                user=user,
            )
        )
    return people


def test_an_hr_admin_sees_everyone_with_their_org_unit_path_manager_and_roles(
    client, hilda, carol, claims
):
    Person.objects.filter(pk=carol.person.pk).update(org_unit=claims, manager=hilda.person)
    client.force_login(hilda)
    page = client.get("/people/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Claims › Claims team 1" in text and "Org › Team one" in text
    row = text[text.index('data-person="P-CAROL"') :].split("</tr>")[0]
    assert "Hilda" in row and "Supervisor" in row and "never" in row


def test_a_portfolio_leader_reads_the_list_without_the_actions(client, alice, carol):
    client.force_login(alice)
    assert client.get("/people/").status_code == 200
    page = client.get("/people/P-CAROL/")
    assert page.status_code == 200 and b'id="invite"' not in page.content
    assert b"Deactivate" not in page.content


@pytest.mark.parametrize("who", ["carol", "erin", "bob", "mallory"])
def test_members_supervisors_and_other_leaders_get_403(client, request, who, hilda):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/people/").status_code == 403
    assert client.get("/people/P-HILDA/").status_code == 403


def test_search_by_name_external_id_or_email(client, hilda, carol, dan):
    client.force_login(hilda)
    for typed in ("caro", "P-CAROL", "carol@example.com"):
        text = client.get("/people/", {"q": typed}).content.decode()
        assert 'data-person="P-CAROL"' in text and 'data-person="P-DAN"' not in text


def test_filter_by_org_unit_and_status(client, hilda, carol, dan, claims):
    Person.objects.filter(pk=carol.person.pk).update(org_unit=claims)
    Person.objects.filter(pk=dan.person.pk).update(active=False)
    client.force_login(hilda)
    text = client.get("/people/", {"org_unit": "CLAIMS-1"}).content.decode()
    assert 'data-person="P-CAROL"' in text and 'data-person="P-HILDA"' not in text
    text = client.get("/people/", {"active": "false"}).content.decode()
    assert 'data-person="P-DAN"' in text and 'data-person="P-CAROL"' not in text


@pytest.mark.parametrize(
    "typed", ["\x00", "a\x00b", "x" * 6000, "🧑‍💼🚀", "' OR 1=1 --", "%_%", "<script>"]
)
def test_hostile_search_gives_a_page_not_a_500(client, hilda, typed):
    client.force_login(hilda)
    answer = client.get("/people/", {"q": typed, "org_unit": typed, "active": typed})
    assert answer.status_code == 200
    assert b"<script>" not in answer.content.split(b"<main")[1]


def test_pages_of_fifty(client, hilda, claims):
    _people(60, claims)
    client.force_login(hilda)
    first = client.get("/people/").content.decode()
    second = client.get("/people/", {"page": 2}).content.decode()
    assert first.count("data-person=") == 50 and second.count("data-person=") == 11
    assert 'rel="next"' in first


def test_the_list_costs_the_same_queries_at_two_sizes(
    client, hilda, claims, django_assert_num_queries
):
    client.force_login(hilda)
    _people(3, claims, manager=hilda.person)
    client.get("/people/")  # warm the caches of the first request (content types, groups)
    for more in (0, 40):
        _people(more, claims, manager=hilda.person, start=100)
        # 1 session, 2 the viewer's login, 3-4 the viewer's permissions (own, then through
        # groups), 5 count, 6 the page with org unit, manager and login joined, 7 their role
        # groups, 8 the org unit paths (one recursive query), 9 the viewer's roles for the
        # menu, 10 the org units of the filter's choices
        with django_assert_num_queries(10):
            assert client.get("/people/").status_code == 200

"""People and org unit lists: filters, stable paging, and a constant number of queries."""

import pytest
from django.utils import timezone

from people.models import OrgUnit, Person

pytestmark = pytest.mark.django_db


def _people(n, org, start=0, manager=None):
    return Person.objects.bulk_create(
        Person(
            external_id=f"E{i:04d}",
            full_name="Same Name",
            org_unit=org,
            manager=manager,
            email=f"p{i}@x.org",
        )
        for i in range(start, start + n)
    )


def test_the_list_is_ordered_by_external_id_and_pages_are_stable(reader, org):
    _people(25, org)
    seen = []
    for page in (1, 2, 3):
        body = reader.get(f"/api/v1/people/?page={page}&page_size=10&ordering=full_name").json()
        seen += [p["external_id"] for p in body["results"]]
    assert seen == sorted(seen) and len(set(seen)) == 25
    assert {"results", "next", "previous", "count"} <= set(body)


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "page_size=-1",
        "page_size=99999",
        "page_size=",
        "page=",
        "page=999",
        "updated_since=yesterday",
        "updated_since=",
        "active=null",
        "active=maybe",
        "active=true&active=false",
    ],
)
def test_garbage_paging_and_filter_parameters_are_a_400_or_404_not_a_500(reader, org, query):
    response = reader.get(f"/api/v1/people/?{query}")
    assert response.status_code in (400, 404)
    assert "code" in response.json() and "message" in response.json()


def test_people_filter_by_unit_manager_email_active_and_updated_since(reader, org):
    other = OrgUnit.objects.create(external_id="OTHER", name="Other")
    boss = Person.objects.create(external_id="BOSS", full_name="Boss", org_unit=other)
    _people(3, org, manager=boss)
    Person.objects.filter(external_id="E0001").update(active=False)

    def ids(query):
        return [p["external_id"] for p in reader.get(f"/api/v1/people/?{query}").json()["results"]]

    assert ids("org_unit_external_id=OTHER") == ["BOSS"]
    assert ids("manager_external_id=BOSS") == ["E0000", "E0001", "E0002"]
    assert ids("email=P2@X.ORG") == ["E0002"]
    assert ids("active=false") == ["E0001"]
    later = (timezone.now() + timezone.timedelta(days=1)).isoformat()
    assert ids(f"updated_since={later.replace('+', '%2B')}") == []


@pytest.mark.parametrize("path", ["/api/v1/people/", "/api/v1/org-units/"])
def test_lists_cost_the_same_queries_at_two_sizes(reader, org, path, django_assert_num_queries):
    boss = Person.objects.create(external_id="BOSS", full_name="Boss", org_unit=org)
    _people(3, org, manager=boss)
    reader.get(path)  # the first use records last_used_at
    # token, count, page (with unit and manager joined)
    with django_assert_num_queries(3):
        reader.get(path)
    _people(40, org, start=10, manager=boss)
    for n in range(10):
        OrgUnit.objects.create(external_id=f"U{n}", name=f"U{n}", parent=org)
    with django_assert_num_queries(3):
        reader.get(path)

"""The person picker's suggestions at /people/search/: for logged-in people only, by name,
external id or email, active people only, at most twenty, in a constant number of queries."""

import pytest
from django.urls import reverse

from people.models import Person
from people.search import SUGGESTIONS

pytestmark = pytest.mark.django_db
URL = reverse("people:search")


def _people(n, org, *, name="Ada Lovelace", active=True, start=0):
    return Person.objects.bulk_create(
        Person(
            external_id=f"E{i:05d}",
            full_name=f"{name} {i}",
            email=f"person.{i}@example.org",
            org_unit=org,
            active=active,
        )
        for i in range(start, start + n)
    )


def _search(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response.json()


def test_anonymous_visitors_are_sent_to_log_in(client, org):
    _people(1, org)
    response = client.get(URL, {"q": "Ada"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_any_logged_in_person_may_search_the_directory(client, mallory):
    client.force_login(mallory)
    assert _search(client, "Mallory")["results"][0]["external_id"] == "P-MALLORY"


def test_every_word_typed_must_be_in_the_name(client, bob, carol, dan):
    Person.objects.create(external_id="X1", full_name="Carol Danvers")
    client.force_login(bob)
    assert [p["name"] for p in _search(client, "car")["results"]] == ["Carol", "Carol Danvers"]
    assert [p["name"] for p in _search(client, "dan  CAR")["results"]] == ["Carol Danvers"]


def test_external_ids_and_emails_are_found_by_their_start(client, hilda, carol):
    client.force_login(hilda)  # e-mails are searched only by those who may read them
    assert [p["external_id"] for p in _search(client, "p-car")["results"]] == ["P-CAROL"]
    assert [p["external_id"] for p in _search(client, "carol@exa")["results"]] == ["P-CAROL"]
    assert _search(client, "example.com")["results"] == []  # the start, not anywhere


def test_an_exact_external_id_comes_before_names(client, bob, org):
    _people(3, org, name="Zed")
    Person.objects.create(external_id="Zed", full_name="Aaron Able")
    client.force_login(bob)
    assert _search(client, "zed")["results"][0]["name"] == "Aaron Able"


def test_inactive_people_are_never_suggested(client, bob, org):
    _people(2, org, name="Gone", active=False)
    client.force_login(bob)
    assert _search(client, "Gone")["results"] == []


def test_only_the_name_and_external_id_leave_the_server(client, bob, carol):
    client.force_login(bob)
    (person,) = _search(client, "Carol")["results"]
    assert person == {"id": carol.person.pk, "name": "Carol", "external_id": "P-CAROL"}


def test_at_most_twenty_suggestions_and_a_hint_that_there_are_more(client, bob, org):
    _people(SUGGESTIONS + 5, org)
    client.force_login(bob)
    answer = _search(client, "Ada")
    assert len(answer["results"]) == SUGGESTIONS == 20 and answer["more"] is True
    assert _search(client, "Ada Lovelace 7")["more"] is False


@pytest.mark.parametrize("q", ["", "a", " a ", "\x00", "\x00a"])
def test_less_than_two_characters_asks_the_database_nothing(
    client, bob, django_assert_num_queries, q
):
    client.force_login(bob)
    with django_assert_num_queries(2):  # session, user
        assert _search(client, q) == {"results": [], "more": False}


@pytest.mark.parametrize("q", ["a\x00b", "x" * 6000, "%_%", "' OR 1=1 --", "😀" * 50])
def test_hostile_input_is_an_empty_answer_not_an_error(client, bob, q):
    client.force_login(bob)
    assert _search(client, q)["results"] == []


@pytest.mark.parametrize("size", [3, 60])
def test_a_search_takes_the_same_queries_whatever_the_directory_size(
    client, bob, org, django_assert_num_queries, size
):
    _people(size, org)
    client.force_login(bob)
    # session, user, the viewer's permissions (user's and groups') and roles, which decide
    # what they may see, then the suggestions (LIMIT 21): the same whatever the size
    with django_assert_num_queries(6):
        assert _search(client, "Ada")["results"]


def test_only_get_is_allowed(client, bob):
    client.force_login(bob)
    assert client.post(URL, {"q": "Bob"}).status_code == 405

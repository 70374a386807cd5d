"""Deactivating and reactivating someone on their page: the login is disabled and every
session ends at once, the history says who and why; reactivation gives the same password
its access back. HR admins only, and never on themselves."""

import pytest
from django.test import Client

from people.models import Person

pytestmark = pytest.mark.django_db

PASSWORD = "carol-pw-123!"


def _logged_in(username="carol", password=PASSWORD) -> Client:
    browser = Client()
    answer = browser.post("/accounts/login/", {"username": username, "password": password})
    assert answer.status_code == 302
    return browser


def _is_anonymous(browser: Client) -> bool:
    answer = browser.get("/pilots/")
    return answer.status_code == 302 and "/accounts/login/" in answer.url


def test_deactivation_ends_the_sessions_and_the_history_says_who_and_why(client, hilda, carol):
    carols_browser = _logged_in()
    client.force_login(hilda)
    answer = client.post("/people/P-CAROL/deactivate/", {"reason": "left the company"})
    assert answer.status_code == 302
    assert not Person.objects.get(pk=carol.person.pk).active
    assert _is_anonymous(carols_browser)
    record = Person.history.filter(id=carol.person.pk).latest("history_date")
    assert record.history_user == hilda and record.history_change_reason == "left the company"
    page = client.get("/people/P-CAROL/").content.decode()
    assert "inactive" in page and "left the company" in page and "Reactivate" in page


def test_reactivation_restores_the_same_password(client, hilda, carol):
    client.force_login(hilda)
    client.post("/people/P-CAROL/deactivate/")
    client.post("/people/P-CAROL/reactivate/", {"reason": "came back"})
    assert Person.objects.get(pk=carol.person.pk).active
    assert not _is_anonymous(_logged_in())


def test_an_hr_admin_does_not_deactivate_themselves(client, hilda):
    client.force_login(hilda)
    page = client.post("/people/P-HILDA/deactivate/", follow=True)
    assert Person.objects.get(pk=hilda.person.pk).active
    assert b"You cannot deactivate or reactivate yourself" in page.content


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "erin"])
def test_only_hr_admins_deactivate(client, request, who, mallory):
    client.force_login(request.getfixturevalue(who))
    assert client.post("/people/P-MALLORY/deactivate/").status_code == 403
    assert client.post("/people/P-MALLORY/reactivate/").status_code == 403
    assert Person.objects.get(pk=mallory.person.pk).active


def test_an_unknown_person_is_a_404(client, hilda):
    client.force_login(hilda)
    assert client.post("/people/NOBODY/deactivate/").status_code == 404
    assert client.get("/people/NOBODY/").status_code == 404

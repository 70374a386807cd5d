"""An HR admin tries to become the sponsor: by re-linking the sponsor's Person to their own
login through the person admin (the form field, a forged POST, the link page), or by taking a
login already linked to someone else. Every way in is refused or leaves a record."""

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client

from core.errors import NotAllowed
from people.models import Person
from people.services import IdentityConflict, person_link_user


def _admin(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _change_form(person, **extra) -> dict:
    return {
        "external_id": person.external_id,
        "full_name": person.full_name,
        "email": person.email,
        "org_unit": person.org_unit_id or "",
        "active": "on",
    } | extra


def test_an_hr_admin_cannot_relink_the_sponsor_to_her_login_through_the_change_form(bob, hilda):
    sponsor = bob.person
    page = _admin(hilda).get(f"/admin/people/person/{sponsor.pk}/change/")
    assert page.status_code == 200
    assert 'name="user"' not in page.content.decode()
    answer = _admin(hilda).post(
        f"/admin/people/person/{sponsor.pk}/change/", _change_form(sponsor, user=hilda.pk)
    )
    assert answer.status_code == 302  # saved, without the forged field
    sponsor.refresh_from_db()
    assert sponsor.user == bob
    assert Person.objects.get(user=hilda).external_id == "P-HILDA"


def test_nor_when_adding_a_person_with_her_login(hilda, org):
    forged = _change_form(Person(external_id="P-NEW", full_name="New"), user=hilda.pk)
    answer = _admin(hilda).post("/admin/people/person/add/", forged)
    assert answer.status_code == 302
    assert Person.objects.get(external_id="P-NEW").user is None


def test_the_link_page_refuses_her_own_login(bob, hilda):
    url = f"/admin/people/person/{bob.person.pk}/link-login/"
    answer = _admin(hilda).post(url, {"username": "hilda", "reason": "Bob asked me to."})
    assert answer.status_code == 200
    assert "Nobody links their own login" in answer.content.decode()
    bob.person.refresh_from_db()
    assert bob.person.user == bob


def test_the_link_page_refuses_a_login_that_is_someone_elses(bob, carol, hilda):
    url = f"/admin/people/person/{bob.person.pk}/link-login/"
    answer = _admin(hilda).post(url, {"username": "carol", "reason": "Merging accounts."})
    assert "belongs to another person" in answer.content.decode()
    bob.person.refresh_from_db()
    assert bob.person.user == bob


def test_the_link_page_needs_a_reason(bob, hilda):
    User.objects.create_user("bob2", password="x" * 16)
    url = f"/admin/people/person/{bob.person.pk}/link-login/"
    answer = _admin(hilda).post(url, {"username": "bob2", "reason": "  "})
    assert answer.status_code == 200
    bob.person.refresh_from_db()
    assert bob.person.user == bob


def test_people_without_the_change_permission_never_reach_the_link_page(bob, carol):
    carol.is_staff = True
    carol.save(update_fields=["is_staff"])
    answer = _admin(carol).post(
        f"/admin/people/person/{bob.person.pk}/link-login/",
        {"username": "carol", "reason": "x"},
    )
    assert answer.status_code == 403
    bob.person.refresh_from_db()
    assert bob.person.user == bob


def test_a_relink_with_a_reason_is_in_the_history_and_ends_both_logins_sessions(bob, hilda):
    new_login = User.objects.create_user("robert", password="robert-pw-123456")
    old_browser = Client()
    old_browser.force_login(bob)
    url = f"/admin/people/person/{bob.person.pk}/link-login/"
    answer = _admin(hilda).post(url, {"username": "robert", "reason": "Bob's new SSO account."})
    assert answer.status_code == 302
    bob.person.refresh_from_db()
    assert bob.person.user == new_login
    latest = bob.person.history.first()
    assert (latest.user_id, latest.history_user, latest.history_change_reason) == (
        new_login.pk,
        hilda,
        "Bob's new SSO account.",
    )
    assert latest.prev_record.user_id == bob.pk
    old = old_browser.get("/pilots/")
    assert old.status_code == 302 and "/accounts/login/" in old.url


def test_only_hr_admins_may_call_the_service(bob, carol):
    robert = User.objects.create_user("robert", password="robert-pw-123456")
    with pytest.raises(NotAllowed):
        person_link_user(person=bob.person, user=robert, by=carol, reason="I say so.")


def test_one_login_belongs_to_one_person_at_most(bob, carol, hilda):
    with pytest.raises(IdentityConflict):
        person_link_user(person=bob.person, user=carol, by=hilda, reason="Typo.")
    # and the database itself refuses a second person on the same login
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=bob.person.pk).update(user=carol)


def test_the_api_offers_no_way_to_set_the_login(bob, client_with_scopes):
    hr = client_with_scopes("people:read", "people:write")
    answer = hr.patch("/api/v1/people/P-BOB/", {"user": 1, "user_id": 1}, format="json")
    assert answer.status_code in (200, 400)
    bob.person.refresh_from_db()
    assert bob.person.user == bob


def test_linking_a_login_to_an_inactive_person_gives_it_no_access(hilda, org):
    person = Person.objects.create(external_id="P-GONE", full_name="Gone", active=False)
    login = User.objects.create_user("gone", password="gone-pw-1234567")
    person_link_user(person=person, user=login, by=hilda, reason="Archive.")
    login.refresh_from_db()
    assert login.is_active is False


def test_the_admins_history_page_cannot_revert_a_person_to_an_old_login(bob, hilda):
    """Reverting a record from the admin's history would be a re-link past the service."""
    robert = User.objects.create_user("robert", password="robert-pw-123456")
    person_link_user(person=bob.person, user=robert, by=hilda, reason="New account.")
    old = bob.person.history.order_by("history_date", "history_id").first()
    url = f"/admin/people/person/{bob.person.pk}/history/{old.history_id}/"
    assert _admin(hilda).get(url).status_code == 200  # reading a past version is fine
    assert _admin(hilda).post(url, _change_form(bob.person)).status_code == 403
    bob.person.refresh_from_db()
    assert bob.person.user == robert

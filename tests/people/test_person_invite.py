"""Inviting a person to log in from their page: one e-mail with a one-time link on SITE_URL
that lets them choose a password and log in; refused for someone inactive or without an
e-mail address, and for anyone but an HR admin."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from people.models import Invitation, Person

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https://redefine\.example\.com(/\S+)")


@pytest.fixture
def newcomer(org):
    return Person.objects.create(
        external_id="P-NEW", full_name="Nora New", email="nora@example.com", org_unit=org
    )


@pytest.fixture(autouse=True)
def site(settings):
    settings.REDEFINE_SITE_URL = "https://redefine.example.com/"
    settings.ALLOWED_HOSTS = ["*"]  # a careless deployment: the link still ignores the Host


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    """Post the invitation; its e-mail task runs once the write commits (inline in tests)."""

    def post(external_id="P-NEW", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/people/{external_id}/invite/", HTTP_HOST="evil.example.org")

    return post


def test_an_invitation_sends_one_email_whose_link_sets_a_password_and_logs_in(
    client, invite, hilda, newcomer
):
    client.force_login(hilda)
    answer = invite()
    assert answer.status_code == 302 and answer["Location"] == "/people/P-NEW/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nora@example.com"] and "evil.example.org" not in message.body
    user = Person.objects.get(pk=newcomer.pk).user
    assert user.username == "P-NEW" and not user.has_usable_password()
    assert Invitation.objects.get().sent_at is not None

    nora = Client()
    form = nora.get(LINK.search(message.body).group(1), follow=True)
    page = form.content.decode()  # a first password, not a reset: welcomed, told the username
    assert "Welcome to Redefine, Nora New" in page and "<strong>P-NEW</strong>" in page
    done = nora.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase 42", "new_password2": "a long new passphrase 42"},
    )
    assert done.status_code == 302
    logged_in = nora.post(
        "/accounts/login/", {"username": "P-NEW", "password": "a long new passphrase 42"}
    )
    assert logged_in.status_code == 302
    assert b"Nora New" in nora.get("/").content


def test_the_link_works_once(client, invite, hilda, newcomer):
    client.force_login(hilda)
    invite()
    path = LINK.search(mail.outbox[0].body).group(1)
    nora = Client()
    form = nora.get(path, follow=True)
    new = {"new_password1": "a long new passphrase 42", "new_password2": "a long new passphrase 42"}
    nora.post(form.redirect_chain[-1][0], new)
    again = Client().get(path, follow=True)
    assert b"This link no longer works" in again.content


def test_the_link_of_the_history_names_the_inviting_hr_admin(client, invite, hilda, newcomer):
    client.force_login(hilda)
    invite()
    record = Person.history.filter(id=newcomer.pk).latest("history_date")
    assert record.history_user == hilda and record.history_change_reason == "invited to log in"


def test_inviting_again_reuses_the_login_and_sends_a_new_link(client, invite, hilda, newcomer):
    client.force_login(hilda)
    invite()
    invite()
    assert len(mail.outbox) == 2 and User.objects.filter(username="P-NEW").count() == 1


def test_a_repeated_delivery_of_the_task_sends_nothing_more(client, invite, hilda, newcomer):
    from people.tasks import email_invitation

    client.force_login(hilda)
    invite()
    assert email_invitation(Invitation.objects.get().pk) is False
    assert len(mail.outbox) == 1


def test_a_person_without_an_email_gets_a_clear_message(client, invite, hilda, newcomer):
    Person.objects.filter(pk=newcomer.pk).update(email="")
    client.force_login(hilda)
    invite()
    page = client.get("/people/P-NEW/")
    assert b"has no e-mail address" in page.content
    assert not mail.outbox and Person.objects.get(pk=newcomer.pk).user is None


def test_an_inactive_person_is_not_invited(client, hilda, newcomer):
    Person.objects.filter(pk=newcomer.pk).update(active=False)
    client.force_login(hilda)
    answer = client.post("/people/P-NEW/invite/", follow=True)
    assert b"is inactive" in answer.content
    assert not mail.outbox and Person.objects.get(pk=newcomer.pk).user is None


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "erin"])
def test_only_hr_admins_invite(client, invite, request, who, newcomer):
    client.force_login(request.getfixturevalue(who))
    assert invite().status_code == 403
    assert not mail.outbox and Person.objects.get(pk=newcomer.pk).user is None


def test_an_invitation_needs_a_post(client, hilda, newcomer):
    client.force_login(hilda)
    assert client.get("/people/P-NEW/invite/").status_code == 405


def test_the_form_carries_a_csrf_token(hilda, newcomer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(hilda)
    assert strict.post("/people/P-NEW/invite/").status_code == 403
    page = strict.get("/people/P-NEW/")
    assert b'name="csrfmiddlewaretoken"' in page.content and b'id="invite"' in page.content

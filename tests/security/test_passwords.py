"""Passwords: at least 12 characters everywhere a password is chosen; a signed-in person
changes theirs (other sessions end); a forgotten one is reset by e-mail with Django's one-time
token, through a link that always points at SITE_URL."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

pytestmark = pytest.mark.django_db


def logs_in(username: str, password: str) -> bool:
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


LINK = re.compile(r"(https?://\S+/accounts/password/reset/\S+/)")


def test_a_password_of_eleven_characters_is_refused():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Xq7!mvR2#kp")
    validate_password("Xq7!mvR2#kpL")


def test_a_person_changes_their_password_and_their_other_sessions_end(client, carol):
    other_browser = Client()
    other_browser.force_login(carol)
    client.force_login(carol)
    short = client.post(
        "/accounts/password/change/",
        {"old_password": "carol-pw-123!", "new_password1": "sh0rt!Pw", "new_password2": "sh0rt!Pw"},
    )
    assert short.status_code == 200 and "at least 12 characters" in short.content.decode()
    new = "a longer passphrase 7"
    done = client.post(
        "/accounts/password/change/",
        {"old_password": "carol-pw-123!", "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/password/change/done/"
    assert client.get("/").status_code == 200  # this session goes on
    assert other_browser.get("/").status_code == 302  # the other one is logged out
    assert logs_in("carol", new)


def test_a_forgotten_password_is_reset_once_through_the_emailed_link(client, carol, settings):
    settings.REDEFINE_SITE_URL = "https://redefine.example.com"
    sent = client.post("/accounts/password/reset/", {"email": "carol@example.com"})
    assert sent.status_code == 302 and sent["Location"] == "/accounts/password/reset/sent/"
    assert "within 24 hours" in client.get(sent["Location"]).content.decode()
    (email,) = mail.outbox
    assert email.to == ["carol@example.com"] and "\n" not in email.subject
    link = LINK.search(email.body).group(1)
    assert link.startswith("https://redefine.example.com/accounts/password/reset/")
    path = link.removeprefix("https://redefine.example.com")
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    new = "correct horse battery"
    chosen = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert chosen.status_code == 302 and chosen["Location"] == "/accounts/password/reset/done/"
    assert logs_in("carol", new)
    again = Client().get(path, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_a_forged_host_header_does_not_move_the_reset_link(client, carol, settings):
    settings.ALLOWED_HOSTS = ["*"]  # a careless deployment
    settings.REDEFINE_SITE_URL = "https://redefine.example.com"
    client.post(
        "/accounts/password/reset/", {"email": "carol@example.com"}, HTTP_HOST="evil.example"
    )
    (email,) = mail.outbox
    assert "evil.example" not in email.body
    assert "https://redefine.example.com/accounts/password/reset/" in email.body


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, carol):
    sent = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert sent.status_code == 302 and sent["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_an_inactive_account_gets_no_reset_email(client, carol):
    get_user_model().objects.filter(pk=carol.pk).update(is_active=False)
    client.post("/accounts/password/reset/", {"email": "carol@example.com"})
    assert mail.outbox == []


def test_the_login_page_offers_the_reset(client):
    assert 'href="/accounts/password/reset/"' in client.get("/accounts/login/").content.decode()

"""The organisation settings: one row, edited by HR admins and portfolio leaders."""

from decimal import Decimal

import pytest
from django.urls import reverse

from portfolio.models import OrganisationSettings

pytestmark = pytest.mark.django_db
URL = reverse("portfolio:settings")


def test_an_hr_admin_sets_the_hourly_rate_and_currency(client, hilda):
    client.force_login(hilda)
    response = client.post(URL, {"hourly_rate": "72.50", "currency": "gbp"})
    assert response.status_code == 302
    settings = OrganisationSettings.load()
    assert (settings.hourly_rate, settings.currency) == (Decimal("72.50"), "GBP")


def test_a_portfolio_leader_may_edit_but_a_sponsor_may_not(client, alice, bob):
    client.force_login(alice)
    assert client.get(URL).status_code == 200
    client.force_login(bob)
    assert client.post(URL, {"hourly_rate": "1", "currency": "EUR"}).status_code == 403


def test_a_negative_rate_or_a_bad_currency_is_refused_with_a_message(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"hourly_rate": "-5", "currency": "EURO"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"hourly_rate", "currency"}


def test_an_empty_submission_says_what_is_missing(client, alice):
    client.force_login(alice)
    response = client.post(URL, {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"hourly_rate", "currency"}


def test_there_is_only_ever_one_settings_row(db):
    OrganisationSettings(hourly_rate=Decimal("10"), currency="EUR").save()
    OrganisationSettings(hourly_rate=Decimal("20"), currency="EUR").save()
    assert OrganisationSettings.objects.count() == 1
    assert OrganisationSettings.load().hourly_rate == Decimal("20")

"""The portfolio API: a pilot's value-vs-efficiency series and the portfolio summary."""

from datetime import date
from decimal import Decimal

import pytest

from pilots.models import Approach
from portfolio.rollups import rollups_refresh

from .conftest import build_portfolio

pytestmark = pytest.mark.django_db


def series_url(pilot) -> str:
    return f"/api/v1/pilots/{pilot.pk}/value-vs-efficiency/"


@pytest.fixture
def portfolio(alice, carol, rate):
    pilots = build_portfolio(alice, carol, pilots=2)
    rollups_refresh()
    return pilots


def test_the_series_gives_each_month_in_money_and_own_units_and_cumulative(api, alice, portfolio):
    api.force_authenticate(alice)
    body = api.get(series_url(portfolio[0])).json()
    assert (body["currency"], body["hourly_rate"], body["patience_horizon_weeks"]) == (
        "EUR",
        "50.00",
        26,
    )
    june, july, august = body["periods"][:3]
    assert (june["period_start"], june["period_end"]) == ("2026-06-01", "2026-06-30")
    # July: two opportunities addressed (2 × 1000 value), 2 × 12 h saved at 50 EUR/h
    assert (july["value"], july["efficiency_hours"], july["efficiency"]) == (
        "2000.00",
        "24.00",
        "1200.00",
    )
    assert (august["cumulative_value"], august["cumulative_efficiency"]) == ("2500.00", "1200.00")


def test_the_series_of_a_pilot_you_cannot_see_is_not_found(api, bob, portfolio):
    api.force_authenticate(bob)
    assert api.get(series_url(portfolio[0])).status_code == 404


def test_a_machine_client_needs_the_pilots_read_scope(client_with_scopes, portfolio):
    assert client_with_scopes("people:read").get(series_url(portfolio[0])).status_code == 403
    assert client_with_scopes("pilots:read").get(series_url(portfolio[0])).status_code == 200


def test_the_summary_totals_per_approach_and_per_pilot(client_with_scopes, portfolio):
    body = client_with_scopes("pilots:read").get("/api/v1/portfolio/summary/").json()
    approaches = {a["approach"]: a for a in body["approaches"]}
    redefinition = approaches[Approach.WORK_REDEFINITION]
    # Pilot 1: 2000 (opportunities) + 500 (observation); 24 h × 50 = 1200; one supervisor
    assert (redefinition["value"], redefinition["efficiency"], redefinition["people"]) == (
        "2500.00",
        "1200.00",
        1,
    )
    assert approaches[Approach.JOB_REDESIGN]["value"] == "3000.00"
    assert [p["name"] for p in body["pilots"]] == ["Pilot 1", "Pilot 2"]


def test_the_summary_is_scoped_to_the_pilots_a_person_sees(api, bob, portfolio):
    api.force_authenticate(bob)
    body = api.get("/api/v1/portfolio/summary/").json()
    assert body["pilots"] == []
    assert {a["pilots"] for a in body["approaches"]} == {0}


@pytest.mark.parametrize("size", [1, 4])
def test_the_summary_takes_the_same_queries_whatever_the_number_of_pilots(
    client_with_scopes, alice, carol, rate, size, django_assert_num_queries
):
    build_portfolio(alice, carol, pilots=size)
    rollups_refresh()
    machine = client_with_scopes("pilots:read")
    # token lookup, last-used stamp, settings with the rollups' freshness, pilots, totals
    with django_assert_num_queries(5):
        assert machine.get("/api/v1/portfolio/summary/").status_code == 200


@pytest.mark.parametrize("pilots", [1, 3])
def test_the_series_takes_the_same_queries_whatever_the_portfolio(
    client_with_scopes, alice, carol, rate, pilots, django_assert_num_queries
):
    pilot = build_portfolio(alice, carol, pilots=pilots)[-1]
    rollups_refresh()
    machine = client_with_scopes("pilots:read")
    # token lookup, last-used stamp, pilot, settings with the rollups' freshness, rollups
    with django_assert_num_queries(5):
        assert machine.get(series_url(pilot)).status_code == 200


def test_periods_are_written_as_the_declared_fields_would_write_them():
    from rest_framework import serializers

    from portfolio.serializers import PeriodSerializer

    period = {
        "period_start": date(2026, 3, 1),
        "period_end": date(2026, 3, 31),
        **{
            name: Decimal(amount)
            for name, amount in zip(
                [f for f in PeriodSerializer().fields if not f.startswith("period")],
                ["0.00", "1234.50", "-3.10", "1000000000.99", "7.00", "0.01", "12.34", "5.60"],
                strict=True,
            )
        },
    }
    fast = PeriodSerializer().to_representation(period)
    by_fields = serializers.Serializer.to_representation(PeriodSerializer(), period)
    assert fast == dict(by_fields)

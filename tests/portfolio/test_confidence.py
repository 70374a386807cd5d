"""Confidence as the portfolio's leading indicator: each pilot's mean 0–10 supervisor
confidence over its latest cycles and its trend, on the dashboard (a column, a chart with its
guidance for the lag, its data table and CSV), in a constant number of queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from coaching.models import Cycle, Stage
from portfolio.rollups import rollups_refresh
from portfolio.selectors import CONFIDENCE_CYCLES, pilot_confidence

from .conftest import START, build_portfolio, make_pilot, make_workgroup

pytestmark = pytest.mark.django_db
URL = reverse("portfolio:dashboard")


def reflect(workgroup, scores: list[int], *, first: int = 1) -> None:
    """Completed cycles whose reflections gave these confidences, a week apart."""
    for n, score in enumerate(scores, start=first):
        at = START + timedelta(weeks=n)
        Cycle.objects.create(
            workgroup=workgroup, number=n, stage=Stage.COMPLETED, started_at=at,
            reflection_done_at=at + timedelta(days=2), adaptation_done_at=at + timedelta(days=3),
            confidence=score,
        )  # fmt: skip


@pytest.fixture
def rising(alice, carol):
    pilot = make_pilot(alice, name="Rising")
    reflect(make_workgroup(pilot, carol, name="Claims"), [3, 4, 4, 5, 6, 7, 7, 8])
    return pilot


def test_the_latest_cycles_mean_and_its_trend_against_the_cycles_before(rising):
    confidence = pilot_confidence([rising.pk])[rising.pk]
    assert CONFIDENCE_CYCLES == 4
    assert (confidence.latest, confidence.before, confidence.trend) == (7.0, 4.0, 3.0)
    assert (confidence.cycles, confidence.trend_label) == (4, "rising")


def test_cycles_of_every_workgroup_count_in_the_order_they_were_reflected_on(alice, carol, dan):
    pilot = make_pilot(alice, name="Two groups")
    reflect(make_workgroup(pilot, carol, name="A"), [8, 8, 8])
    reflect(make_workgroup(pilot, dan, name="B"), [2, 2, 2], first=4)  # later weeks
    confidence = pilot_confidence([pilot.pk])[pilot.pk]
    assert (confidence.latest, confidence.before, confidence.trend_label) == (3.5, 8.0, "falling")


def test_a_young_pilot_reads_first_cycles_and_one_without_confidence_is_left_out(alice, carol, dan):
    young = make_pilot(alice, name="Young")
    reflect(make_workgroup(young, carol), [6, 7])
    silent = make_pilot(alice, name="Silent")
    make_workgroup(silent, dan)
    found = pilot_confidence([young.pk, silent.pk])
    assert found[young.pk].trend_label == "first cycles" and found[young.pk].latest == 6.5
    assert silent.pk not in found


def test_the_dashboard_shows_confidence_with_its_guidance_for_the_lag(client, alice, rising):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert "confidence rising while value lags is a reason for patience" in page
    assert 'id="plot-confidence"' in page and 'data-table="confidence"' in page
    assert "7.0/10" in page and "rising +3.0" in page


def test_the_confidence_csv_holds_exactly_the_charted_numbers(client, alice, rising):
    client.force_login(alice)
    response = client.get(reverse("portfolio:chart_csv", args=["confidence"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "pilot", "approach", "status", "cycles_read", "mean_confidence_latest",
        "mean_confidence_before", "trend", "reading",
    ]  # fmt: skip
    assert rows[1] == ["Rising", "Work redefinition", "Running", "4", "7.0", "4.0", "3.0", "rising"]


def test_a_sponsor_reads_the_confidence_of_their_own_pilots_only(client, alice, bob, carol, dan):
    reflect(make_workgroup(make_pilot(alice, name="Alice's"), carol), [5])
    reflect(make_workgroup(make_pilot(bob, name="Bob's"), dan), [6])
    client.force_login(bob)
    response = client.get(reverse("portfolio:chart_csv", args=["confidence"]))
    names = [row[0] for row in csv.reader(io.StringIO(response.content.decode()))][1:]
    assert names == ["Bob's"]


@pytest.mark.parametrize("size", [2, 6])
def test_confidence_costs_one_query_whatever_the_number_of_pilots(
    client, alice, carol, rate, size, django_assert_num_queries
):
    for pilot in build_portfolio(alice, carol, pilots=size):
        reflect(pilot.workgroups.first(), [4, 5, 6, 7, 8], first=2)
    rollups_refresh()
    client.force_login(alice)
    client.get(URL)  # warm the session and permission caches
    # the dashboard's 17 (tests/portfolio/test_dashboard.py), among them one for the
    # cycles' confidence of every pilot of the filter
    with django_assert_num_queries(17):
        page = client.get(URL).content.decode()
    assert page.count("rising +") >= size

"""The protection rule: better of actual and baseline by direction, from start to end plus
the grace period, with periods that straddle the edges read generously."""

import datetime as dt
from decimal import Decimal

import pytest

from metrics.baselines import baselines_freeze_for_start
from metrics.protection import protected_metrics

from .conftest import START, mark_running, start_of, weekly

BEFORE = START - dt.timedelta(weeks=4)
WEEK_AFTER = START + dt.timedelta(weeks=2)


@pytest.fixture
def protected_pilot(pilot, cases, handling, carol, dan):
    for person in (carol.person, dan.person):
        weekly(cases, person, ["10"] * 4, BEFORE)  # baseline 10, higher is better
        weekly(handling, person, ["30"] * 4, BEFORE)  # baseline 30, lower is better
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    return mark_running(pilot)


def read(person, start, days=6):
    return {
        m.metric.key: m
        for m in protected_metrics(
            person=person, period_start=start, period_end=start + dt.timedelta(days=days)
        )
    }


def test_a_worse_actual_is_replaced_by_the_baseline_for_higher_is_better(
    protected_pilot, cases, carol
):
    weekly(cases, carol.person, ["6"], WEEK_AFTER)
    got = read(carol.person, WEEK_AFTER)["cases_closed"]
    assert (got.actual, got.baseline, got.protected_value, got.protection_applied) == (
        Decimal("6"),
        Decimal("10"),
        Decimal("10"),
        True,
    )
    assert got.pilot == protected_pilot


def test_a_better_actual_stands_for_higher_is_better(protected_pilot, cases, carol):
    weekly(cases, carol.person, ["15"], WEEK_AFTER)
    got = read(carol.person, WEEK_AFTER)["cases_closed"]
    assert (got.protected_value, got.protection_applied) == (Decimal("15"), False)


def test_a_longer_handling_time_is_protected_for_lower_is_better(protected_pilot, handling, carol):
    weekly(handling, carol.person, ["45"], WEEK_AFTER)
    got = read(carol.person, WEEK_AFTER)["handling_time"]
    assert (got.protected_value, got.protection_applied) == (Decimal("30"), True)


def test_a_shorter_handling_time_stands_for_lower_is_better(protected_pilot, handling, carol):
    weekly(handling, carol.person, ["20"], WEEK_AFTER)
    got = read(carol.person, WEEK_AFTER)["handling_time"]
    assert (got.protected_value, got.protection_applied) == (Decimal("20"), False)


def test_before_the_pilot_starts_there_is_no_protection(protected_pilot, cases, carol):
    got = read(carol.person, BEFORE)["cases_closed"]
    assert (got.actual, got.baseline, got.protected_value, got.protection_applied, got.pilot) == (
        Decimal("10"),
        None,
        Decimal("10"),
        False,
        None,
    )


def test_a_month_aggregates_the_weeks_inside_it_by_the_metrics_aggregation(
    protected_pilot, cases, carol
):
    weekly(cases, carol.person, ["6", "8", "10", "12"], WEEK_AFTER)
    got = read(carol.person, WEEK_AFTER, days=27)["cases_closed"]
    assert (got.actual, got.protected_value, got.protection_applied) == (
        Decimal("9"),
        Decimal("10"),
        True,
    )


@pytest.mark.parametrize(
    ("days_after_end", "protected"),
    [(0, True), (90, True), (91, False)],
)
def test_protection_lasts_until_the_end_plus_the_grace_period(
    protected_pilot, cases, carol, days_after_end, protected
):
    end = START + dt.timedelta(weeks=20)
    mark_running(protected_pilot, ended=end)
    day = end + dt.timedelta(days=days_after_end)
    weekly(cases, carol.person, ["1"], day)
    got = read(carol.person, day, days=0)["cases_closed"]
    assert got.protection_applied is protected


def test_a_period_straddling_the_end_of_the_grace_period_is_protected(
    protected_pilot, cases, carol
):
    end = START + dt.timedelta(weeks=20)
    mark_running(protected_pilot, ended=end)
    last_day = end + dt.timedelta(days=90)
    weekly(cases, carol.person, ["1"], last_day - dt.timedelta(days=3))
    got = read(carol.person, last_day - dt.timedelta(days=3))["cases_closed"]
    assert got.protection_applied is True


def test_a_week_straddling_the_start_is_protected(protected_pilot, cases, carol):
    straddling = START - dt.timedelta(days=3)
    got = read(carol.person, straddling)["cases_closed"]
    assert got.baseline == Decimal("10") and got.protection_applied is True


def test_no_actual_in_a_protected_period_reads_the_baseline(protected_pilot, carol):
    got = read(carol.person, WEEK_AFTER)["cases_closed"]
    assert (got.actual, got.protected_value, got.protection_applied) == (None, Decimal("10"), True)


def test_an_overridden_gap_reads_the_actual(pilot, cases, carol, dan):
    weekly(cases, carol.person, ["10"], BEFORE)
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot), override_reason="new")
    mark_running(pilot)
    weekly(cases, dan.person, ["3"], WEEK_AFTER)
    got = read(dan.person, WEEK_AFTER)["cases_closed"]
    assert (got.baseline, got.protected_value, got.protection_applied) == (
        None,
        Decimal("3"),
        False,
    )


def test_reading_protection_costs_the_same_queries_for_any_history(
    protected_pilot, cases, handling, carol, django_assert_num_queries
):
    # metrics, protecting pilot, baselines in force, actuals
    with django_assert_num_queries(4):
        read(carol.person, WEEK_AFTER, days=90)
    weekly(cases, carol.person, ["9"] * 12, WEEK_AFTER)
    weekly(handling, carol.person, ["9"] * 12, WEEK_AFTER)
    with django_assert_num_queries(4):
        read(carol.person, WEEK_AFTER, days=90)

"""Freezing baselines at pilot start, the missing-data rule, and re-baselining."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from core.errors import DomainError, NotAllowed
from metrics.baselines import baseline_rebaseline, baselines_freeze_for_start, window_aggregates
from metrics.models import Baseline, MetricDefinition, Observation
from people.models import Person
from pilots.models import Pilot, Workgroup

from .conftest import START, start_of, weekly

BEFORE = START - dt.timedelta(weeks=4)  # four weeks inside the 12-week window


@pytest.fixture
def history(cases, handling, carol, dan):
    weekly(cases, carol.person, ["10", "12", "14", "16"], BEFORE)
    weekly(handling, carol.person, ["30", "20", "40", "30"], BEFORE)
    weekly(cases, dan.person, ["5", "7", "9", "11"], BEFORE)
    weekly(handling, dan.person, ["8", "8", "8", "8"], BEFORE)
    # Outside the window: ignored.
    weekly(cases, carol.person, ["1000"], START - dt.timedelta(weeks=20))
    weekly(cases, carol.person, ["1000"], START)


def frozen(pilot):
    return {
        (b.person.user.username, b.metric.key): (b.value, b.observation_count)
        for b in Baseline.objects.filter(pilot=pilot).select_related("person__user", "metric")
    }


def test_freezing_stores_each_supervisors_mean_of_the_window(pilot, history):
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    assert frozen(pilot) == {
        ("carol", "cases_closed"): (Decimal("13"), 4),
        ("carol", "handling_time"): (Decimal("30"), 4),
        ("dan", "cases_closed"): (Decimal("8"), 4),
        ("dan", "handling_time"): (Decimal("8"), 4),
    }
    baseline = Baseline.objects.first()
    assert (baseline.window_start, baseline.window_end) == (
        START - dt.timedelta(weeks=12),
        START - dt.timedelta(days=1),
    )
    assert baseline.version == 1


@pytest.mark.parametrize(("aggregation", "expected"), [("sum", "52"), ("last", "16")])
def test_sum_and_last_aggregations_are_honoured(pilot, history, cases, aggregation, expected):
    MetricDefinition.objects.filter(pk=cases.pk).update(aggregation=aggregation)
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    assert frozen(pilot)[("carol", "cases_closed")] == (Decimal(expected), 4)


def test_freezing_twice_adds_no_second_version(pilot, history):
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    assert Baseline.objects.count() == 4


def test_freezing_is_one_aggregate_query_whatever_the_number_of_supervisors(
    pilot, history, bob, django_assert_num_queries
):
    def freeze(target):
        # savepoint, already frozen?, then on PostgreSQL ONE INSERT … SELECT that aggregates
        # and returns the gaps; elsewhere supervisors, metrics, ONE aggregate, bulk insert;
        # webhook subscriptions for the event, release
        with django_assert_num_queries(5 if connection.vendor == "postgresql" else 8):
            baselines_freeze_for_start(pilot=target, frozen_at=start_of(target))

    freeze(pilot)
    bigger = Pilot.objects.get(pk=pilot.pk)
    bigger.pk = None
    bigger.save()
    for n, person in enumerate([*Person.objects.filter(workgroups__isnull=True)][:3]):
        Workgroup.objects.create(pilot=bigger, name=f"g{n}", supervisor=person)
        for metric in MetricDefinition.objects.all():
            weekly(metric, person, ["1"], BEFORE)
    freeze(bigger)
    assert Baseline.objects.filter(pilot=bigger).count() == 6


def test_missing_data_blocks_the_start_and_names_the_gap(pilot, cases, handling, carol, dan):
    weekly(cases, carol.person, ["10"], BEFORE)
    weekly(handling, carol.person, ["10"], BEFORE)
    weekly(cases, dan.person, ["10"], BEFORE)
    with pytest.raises(DomainError) as caught:
        baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    assert caught.value.code == "baseline_missing_data"
    assert list(caught.value.fields) == ["P-DAN"]
    assert "handling_time" in caught.value.fields["P-DAN"][0]
    assert not Baseline.objects.exists()


def test_an_override_reason_freezes_the_gap_as_visible_empty_baselines(pilot, cases, carol, dan):
    weekly(cases, carol.person, ["10"], BEFORE)
    baselines_freeze_for_start(
        pilot=pilot, frozen_at=start_of(pilot), override_reason="Dan joined last month."
    )
    pilot.refresh_from_db()
    assert pilot.baseline_override_reason == "Dan joined last month."
    assert frozen(pilot) == {
        ("carol", "cases_closed"): (Decimal("10"), 1),
        ("dan", "cases_closed"): (None, 0),
    }


def test_the_sponsor_rebaselines_with_a_reason_and_the_old_version_stays(
    pilot, history, bob, carol, cases
):
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    # A correction of the window's data arrives after the freeze.
    weekly(cases, carol.person, ["30"], BEFORE)
    new = baseline_rebaseline(
        pilot=pilot, person=carol.person, metric=cases, by=bob, reason="HRIS corrected week 1."
    )
    assert (new.version, new.value, new.reason) == (2, Decimal("18"), "HRIS corrected week 1.")
    versions = Baseline.objects.filter(person=carol.person, metric=cases).order_by("version")
    assert [(b.version, b.value) for b in versions] == [(1, Decimal("13")), (2, Decimal("18"))]
    assert list(Baseline.objects.in_force().filter(person=carol.person, metric=cases)) == [new]


def test_only_the_sponsor_may_rebaseline(pilot, history, alice, carol, cases):
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    with pytest.raises(NotAllowed):
        baseline_rebaseline(pilot=pilot, person=carol.person, metric=cases, by=carol, reason="x")


def test_rebaselining_needs_a_reason(pilot, history, bob, carol, cases):
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    with pytest.raises(DomainError) as caught:
        baseline_rebaseline(pilot=pilot, person=carol.person, metric=cases, by=bob, reason=" ")
    assert "reason" in caught.value.fields


@pytest.fixture
def mixed(pilot, cases, handling, hours_saved, carol, dan):
    """Mean, last and sum metrics with ties, corrections and rows the window must skip."""
    backlog, retired = (
        MetricDefinition.objects.create(
            key=key,
            name=key.capitalize(),
            unit="cases",
            kind="performance",
            direction="lower_is_better",
            aggregation="sum",
        )
        for key in ("backlog", "retired")
    )
    MetricDefinition.objects.filter(pk=handling.pk).update(aggregation="last")
    Workgroup.objects.create(pilot=pilot, name="Carol's second team", supervisor=carol.person)
    # Means of 0.00025 and 12.00005: ties, which round half to even.
    weekly(cases, carol.person, ["0.0002", "0.0003", "0.0004"], BEFORE)
    weekly(cases, carol.person, ["0.0009"], BEFORE, source="manual")
    weekly(cases, carol.person, ["0.0001"], BEFORE, source="manual")  # a correction
    weekly(cases, dan.person, ["12.0000", "12.0001"], BEFORE)
    # Last: the latest period wins; within one period the latest row (another source).
    weekly(handling, carol.person, ["30", "20", "40"], BEFORE)
    weekly(handling, carol.person, ["41"], BEFORE + dt.timedelta(weeks=2), source="manual")
    weekly(handling, dan.person, ["8.5"], BEFORE)
    weekly(backlog, carol.person, ["1.5", "2.25", "-0.75"], BEFORE)
    for metric in (retired, hours_saved):
        weekly(metric, carol.person, ["99"], BEFORE)
    # Retired after its data came in: a deactivated metric takes no new observations.
    MetricDefinition.objects.filter(pk=retired.pk).update(active=False)
    # Not in the window: starts before it, ends after it, or is about a workgroup.
    window_start = START - dt.timedelta(weeks=12)
    Observation.objects.create(
        metric=backlog,
        subject_type="person",
        subject_id=carol.person.pk,
        period_start=window_start - dt.timedelta(days=1),
        period_end=window_start + dt.timedelta(days=5),
        value=1000,
        source="hris",
    )
    weekly(backlog, carol.person, ["1000"], START - dt.timedelta(days=3))
    Observation.objects.create(
        metric=backlog,
        subject_type="workgroup",
        subject_id=dan.person.pk,
        period_start=BEFORE,
        period_end=BEFORE + dt.timedelta(days=6),
        value=1000,
        source="hris",
    )
    return [cases, handling, backlog]


def test_a_freeze_computes_what_a_rebaseline_computes_for_mean_last_and_sum(pilot, mixed):
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot), override_reason="new")
    window_start, window_end = START - dt.timedelta(weeks=12), START - dt.timedelta(days=1)
    supervisors = {w.supervisor for w in pilot.workgroups.all()}
    computed = window_aggregates(
        person_ids=[p.pk for p in supervisors],
        aggregations={
            m.pk: m.aggregation
            for m in MetricDefinition.objects.filter(pk__in=[m.pk for m in mixed])
        },
        window_start=window_start,
        window_end=window_end,
    )
    expected = {
        (p.user.username, m.key): computed.get((p.pk, m.pk), (None, 0))
        for p in supervisors
        for m in mixed
    }
    assert frozen(pilot) == expected
    assert expected[("carol", "handling_time")] == (Decimal("41"), 4)
    assert expected[("carol", "backlog")] == (Decimal("3"), 3)
    assert expected[("dan", "backlog")] == (None, 0)
    assert expected[("carol", "cases_closed")][1] == 4
    if connection.vendor == "postgresql":  # SQLite averages in floating point
        assert expected[("carol", "cases_closed")][0] == Decimal("0.0002")
        assert expected[("dan", "cases_closed")][0] == Decimal("12.0000")

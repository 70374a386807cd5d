"""Observations: natural-key upsert, supersede, idempotent re-send, all-or-nothing bulk."""

from decimal import Decimal

import pytest
from django.db import transaction

from core.errors import InvalidRows
from metrics.ingest import Writer, validate_rows, write_rows
from metrics.models import Observation
from metrics.services import observations_upsert


def row(**overrides):
    base = {
        "metric": "cases_closed",
        "subject_type": "person",
        "subject_id": "P-CAROL",
        "period_start": "2026-05-04",
        "period_end": "2026-05-10",
        "value": "12.5",
        "source": "hris",
    }
    return base | overrides


def test_a_new_observation_is_created_for_the_person_behind_the_external_id(cases, carol):
    result = observations_upsert(rows=[row()])
    assert result.as_dict() == {"created": 1, "updated": 0, "unchanged": 0}
    obs = Observation.objects.get()
    assert obs.subject_id == carol.person.pk and obs.value == Decimal("12.5") and obs.is_current


def test_resending_an_identical_observation_changes_nothing(cases, carol):
    observations_upsert(rows=[row()])
    result = observations_upsert(rows=[row(value="12.50")])
    assert result.as_dict() == {"created": 0, "updated": 0, "unchanged": 1}
    assert Observation.objects.count() == 1


def test_a_correction_supersedes_the_old_row_and_both_are_kept(cases, carol):
    observations_upsert(rows=[row()])
    result = observations_upsert(rows=[row(value="14")])
    assert result.as_dict() == {"created": 0, "updated": 1, "unchanged": 0}
    old, new = Observation.objects.order_by("id")
    assert (old.is_current, old.superseded_at is not None, old.value) == (
        False,
        True,
        Decimal("12.5"),
    )
    assert (new.is_current, new.supersedes_id, new.value) == (True, old.pk, Decimal("14"))


def test_another_source_for_the_same_period_is_a_separate_observation(cases, carol):
    result = observations_upsert(rows=[row(), row(source="survey")])
    assert result.created == 2


def test_a_bad_row_in_the_middle_writes_nothing_and_names_the_row_and_field(cases, carol):
    rows = [row(period_start=f"2026-0{m}-01", period_end=f"2026-0{m}-07") for m in (1, 2, 3)]
    rows[1]["value"] = "twelve"
    with pytest.raises(InvalidRows) as caught:
        observations_upsert(rows=rows)
    assert caught.value.errors == [
        {"index": 1, "field": "value", "message": "Enter a decimal number."}
    ]
    assert Observation.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"metric": "nope"}, "metric"),
        ({"subject_id": "P-NOBODY"}, "subject_id"),
        ({"subject_type": "team"}, "subject_type"),
        ({"period_start": "2026-13-01"}, "period_start"),
        ({"period_start": "yesterday"}, "period_start"),
        ({"period_end": "2026-05-01"}, "period_end"),
        ({"value": "NaN"}, "value"),
        ({"value": None}, "value"),
        ({"value": True}, "value"),
        ({"metric": None}, "metric"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_field(cases, carol, overrides, field):
    with pytest.raises(InvalidRows) as caught:
        second = row(period_start="2026-05-11", period_end="2026-05-17") | overrides
        observations_upsert(rows=[row(), second])
    assert [(e["index"], e["field"]) for e in caught.value.errors] == [(1, field)]


def test_a_duplicate_natural_key_within_the_batch_is_an_error(cases, carol):
    with pytest.raises(InvalidRows) as caught:
        observations_upsert(rows=[row(), row(value="3")])
    assert caught.value.errors[0]["index"] == 1


def test_more_than_ten_thousand_rows_are_refused(cases, carol):
    with pytest.raises(InvalidRows) as caught:
        observations_upsert(rows=[row()] * 10_001)
    assert caught.value.errors[0]["field"] == "rows"


def test_workgroup_and_pilot_subjects_are_sent_by_id(cases, pilot):
    workgroup = pilot.workgroups.first()
    result = observations_upsert(
        rows=[
            row(subject_type="workgroup", subject_id=workgroup.pk),
            row(subject_type="pilot", subject_id=str(pilot.pk)),
        ]
    )
    assert result.created == 2
    assert set(Observation.objects.values_list("subject_type", "subject_id")) == {
        ("workgroup", workgroup.pk),
        ("pilot", pilot.pk),
    }


def test_a_large_batch_is_ingested_and_resent_without_adding_rows(cases, carol, dan):
    import datetime as dt

    day = dt.date(2020, 1, 1)
    rows = [
        row(
            subject_id=who,
            period_start=str(day + dt.timedelta(days=i)),
            period_end=str(day + dt.timedelta(days=i)),
            value=str(i),
        )
        for i in range(2500)
        for who in ("P-CAROL", "P-DAN")
    ]
    assert observations_upsert(rows=rows).created == 5000
    assert observations_upsert(rows=rows).as_dict() == {
        "created": 0,
        "updated": 0,
        "unchanged": 5000,
    }
    rows[7]["value"] = "-1"
    assert observations_upsert(rows=rows).updated == 1
    assert Observation.objects.count() == 5001


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("12.5", "12.5"),
        ("-0.0001", "-0.0001"),
        ("9999999999.9999", "9999999999.9999"),
        ("0.00005", "0.0000"),  # more places than stored: half to even, as the field rounds
        ("0.00015", "0.0002"),
        ("12.34565", "12.3456"),
        ("1e-5", "0.0000"),
        ("1E+3", "1000"),
        (" 7 ", "7"),
        ("1_000", "1000"),
        ("+3", "3"),
        (3, "3"),
        (2.5, "2.5"),
    ],
)
def test_values_are_stored_as_written_or_rounded_like_the_column(cases, carol, sent, stored):
    observations_upsert(rows=[row(value=sent)])
    assert Observation.objects.get().value == Decimal(stored)


@pytest.mark.parametrize(
    "sent", ["10000000000000000", "-10000000000000000.5", "Infinity", "1e16", "", "1.2.3"]
)
def test_values_out_of_range_or_not_numbers_are_refused(cases, carol, sent):
    with pytest.raises(InvalidRows) as caught:
        observations_upsert(rows=[row(value=sent)])
    assert caught.value.errors[0]["field"] == "value"


def test_the_first_missing_field_is_the_one_reported(cases, carol):
    incomplete = row(subject_type="", period_end=None)
    with pytest.raises(InvalidRows) as caught:
        observations_upsert(rows=[incomplete])
    assert caught.value.errors == [
        {"index": 0, "field": "subject_type", "message": "This field is required."}
    ]


def test_two_batches_in_one_transaction_are_staged_apart(cases, carol, dan):
    with transaction.atomic():
        first = observations_upsert(rows=[row(), row(subject_id="P-DAN")])
        second = observations_upsert(rows=[row(value="13")])
    assert (first.created, second.as_dict()) == (
        2,
        {"created": 0, "updated": 1, "unchanged": 0},
    )
    assert Observation.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_rows_written_outside_a_transaction_are_all_written(cases, carol):
    clean, errors = validate_rows([row(), row(source="survey")])
    assert not errors
    assert write_rows(clean, by=Writer()).created == 2
    assert Observation.objects.count() == 2

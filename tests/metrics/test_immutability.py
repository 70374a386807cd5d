"""Observations are append-only and baselines frozen: the ORM, the admin and (on PostgreSQL)
raw SQL all refuse to change them."""

import datetime as dt

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.utils import timezone

from metrics.models import Baseline, ImmutableRow, Observation

from .conftest import weekly

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the immutability triggers exist only on PostgreSQL (SQLite has no such triggers)",
)


@pytest.fixture
def observation(cases, carol):
    weekly(cases, carol.person, ["10"], dt.date(2026, 5, 4))
    return Observation.objects.get()


@pytest.fixture
def baseline(pilot, carol, cases):
    return Baseline.objects.create(
        pilot=pilot,
        person=carol.person,
        metric=cases,
        value=10,
        observation_count=3,
        window_start=dt.date(2026, 3, 9),
        window_end=dt.date(2026, 5, 31),
        frozen_at=timezone.now(),
    )


def test_an_observation_cannot_be_edited_through_the_orm(observation):
    observation.value = 99
    with pytest.raises(ImmutableRow):
        observation.save()
    with pytest.raises(ImmutableRow):
        Observation.objects.filter(pk=observation.pk).update(value=99)


def test_an_observation_cannot_be_deleted_through_the_orm(observation):
    with pytest.raises(ImmutableRow):
        observation.delete()
    with pytest.raises(ImmutableRow):
        Observation.objects.all().delete()


def test_the_orm_may_only_flip_an_observation_to_superseded(observation):
    observation.is_current = False
    observation.superseded_at = timezone.now()
    observation.save(update_fields=["is_current", "superseded_at"])
    assert not Observation.objects.get().is_current


def test_a_baseline_cannot_be_edited_or_deleted_through_the_orm(baseline):
    baseline.value = 1
    with pytest.raises(ImmutableRow):
        baseline.save()
    with pytest.raises(ImmutableRow):
        baseline.delete()
    with pytest.raises(ImmutableRow):
        Baseline.objects.filter(pk=baseline.pk).update(value=1)
    with pytest.raises(ImmutableRow):
        Baseline.objects.all().delete()


def test_the_admin_shows_baselines_and_observations_read_only(client, hilda, baseline, observation):
    client.force_login(hilda)
    hilda.is_superuser = True
    hilda.save()
    for url in (
        f"/admin/metrics/baseline/{baseline.pk}/change/",
        f"/admin/metrics/observation/{observation.pk}/change/",
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert b'name="_save"' not in page.content
        assert client.post(url, {"value": "1"}).status_code == 403
    assert client.get(f"/admin/metrics/baseline/{baseline.pk}/delete/").status_code == 403
    assert client.get("/admin/metrics/observation/add/").status_code == 403


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE metrics_baseline SET value = 1 WHERE id = %s",
        "DELETE FROM metrics_baseline WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_a_frozen_baseline(baseline, sql):
    with pytest.raises((InternalError, IntegrityError), match="frozen"):
        _raw(sql, [baseline.pk])
    assert Baseline.objects.get().value == 10


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE metrics_observation SET value = 1 WHERE id = %s",
        "DELETE FROM metrics_observation WHERE id = %s",
        "UPDATE metrics_observation SET is_current = false, superseded_at = now(), value = 1 "
        "WHERE id = %s",
        "UPDATE metrics_observation SET is_current = false WHERE id = %s",
    ],
)
def test_raw_sql_cannot_rewrite_or_delete_an_observation(observation, sql):
    with pytest.raises((InternalError, IntegrityError), match="append-only"):
        _raw(sql, [observation.pk])
    assert Observation.objects.get().is_current


@on_postgresql
def test_raw_sql_may_supersede_an_observation(observation):
    _raw(
        "UPDATE metrics_observation SET is_current = false, superseded_at = now() WHERE id = %s",
        [observation.pk],
    )
    assert not Observation.objects.get().is_current

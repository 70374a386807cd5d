"""Frozen baselines and append-only observations hold against every way in: raw SQL on
PostgreSQL (triggers) and the ORM's bulk update/delete everywhere. One row per attempt."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from metrics.models import Baseline, Observation

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the immutability triggers exist on PostgreSQL only (SQLite relies on the ORM)",
)

RAW_REFUSED = [
    ("metrics_baseline", "UPDATE {t} SET value = value + 1 WHERE id = %s"),
    ("metrics_baseline", "UPDATE {t} SET version = 7 WHERE id = %s"),
    ("metrics_baseline", "UPDATE {t} SET observation_count = 0, reason = 'x' WHERE id = %s"),
    ("metrics_baseline", "DELETE FROM {t} WHERE id = %s"),
    ("metrics_observation", "UPDATE {t} SET value = value + 1 WHERE id = %s"),
    ("metrics_observation", "UPDATE {t} SET subject_id = subject_id + 1 WHERE id = %s"),
    ("metrics_observation", "UPDATE {t} SET period_end = period_end + 1 WHERE id = %s"),
    ("metrics_observation", "UPDATE {t} SET is_current = false, superseded_at = now(), "
                            "value = 0 WHERE id = %s"),
    ("metrics_observation", "UPDATE {t} SET is_current = true WHERE id = %s"),
    ("metrics_observation", "DELETE FROM {t} WHERE id = %s"),
]  # fmt: skip


def _row_id(cast, table: str) -> int:
    side = cast.sides["A"]
    return side.baseline.pk if table == "metrics_baseline" else side.observation.pk


@on_postgresql
@pytest.mark.parametrize(("table", "statement"), RAW_REFUSED)
def test_raw_sql_cannot_change_or_remove_a_frozen_row(cast, table, statement):
    row_id = _row_id(cast, table)
    with (
        pytest.raises(DatabaseError, match="frozen|append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement.format(t=table), [row_id])


@on_postgresql
def test_raw_sql_may_only_mark_an_observation_superseded(cast):
    row_id = cast.sides["A"].observation.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE metrics_observation SET is_current = false, superseded_at = now() "
            "WHERE id = %s",
            [row_id],
        )
    assert Observation.objects.get(pk=row_id).is_current is False


ORM_REFUSED = [
    ("baseline", lambda qs: qs.update(value=1)),
    ("baseline", lambda qs: qs.delete()),
    ("observation", lambda qs: qs.update(value=1)),
    ("observation", lambda qs: qs.delete()),
]


@pytest.mark.parametrize(("kind", "attempt"), ORM_REFUSED)
def test_the_orm_cannot_bulk_change_or_remove_frozen_rows(cast, kind, attempt):
    side = cast.sides["A"]
    model, obj = (
        (Baseline, side.baseline) if kind == "baseline" else (Observation, side.observation)
    )
    before = model.objects.filter(pk=obj.pk).values().get()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017,PT011 - any refusal
        attempt(model.objects.filter(pk=obj.pk))
    assert model.objects.filter(pk=obj.pk).values().get() == before


def test_saving_a_changed_baseline_is_refused(cast):
    baseline = cast.sides["A"].baseline
    baseline.value = 1
    baseline.frozen_at = timezone.now()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017,PT011 - any refusal
        baseline.save()

"""The migration that gives baselines their meaning: rows frozen before it take their metric's
meaning, and on PostgreSQL the immutability trigger is back in force afterwards, new columns
included."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("metrics", "0004_observation_metric_no_own_index")]
AFTER = [("metrics", "0005_baseline_meaning_observation_writer")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_existing_baselines_take_their_metrics_meaning_and_stay_frozen(pilot, carol, dan):
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO metrics_metricdefinition (key, name, unit, kind, direction, "
                "aggregation, description, active, created_at, updated_at) VALUES "
                "('speed', 'Speed', 'days', 'performance', 'lower_is_better', 'last', '', "
                "true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
            cursor.execute(
                "INSERT INTO metrics_baseline (pilot_id, person_id, metric_id, value, "
                "observation_count, window_start, window_end, frozen_at, version, reason) "
                "SELECT %s, %s, id, 3, 4, '2026-03-01', '2026-05-31', CURRENT_TIMESTAMP, 1, '' "
                "FROM metrics_metricdefinition WHERE key = 'speed'",
                [pilot.pk, carol.person.pk],
            )
    finally:
        _migrate(AFTER)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT metric_direction, metric_aggregation, metric_unit, metric_kind, id "
            "FROM metrics_baseline"
        )
        [(direction, aggregation, unit, kind, row_id)] = cursor.fetchall()
    assert (direction, aggregation, unit, kind) == (
        "lower_is_better",
        "last",
        "days",
        "performance",
    )
    if connection.vendor == "postgresql":
        with (
            pytest.raises(DatabaseError, match="frozen"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE metrics_baseline SET metric_direction = 'higher_is_better' WHERE id = %s",
                [row_id],
            )
    call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it

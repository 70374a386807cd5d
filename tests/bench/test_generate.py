"""The benchmark's generator: refuses SQLite, and builds the same organisation twice."""

import os

import pytest

from bench.generate import SCALES, Scale, database_url, generate, require_postgres

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def test_the_generator_refuses_a_sqlite_database_with_a_clear_message():
    with pytest.raises(SystemExit, match="needs PostgreSQL"):
        require_postgres("sqlite:///db.sqlite3")


def test_the_generator_accepts_a_postgresql_url():
    require_postgres("postgres://postgres@127.0.0.1:5432/redefine_bench_small")


def test_the_small_scale_is_a_hundredth_of_the_full_one():
    full, small = SCALES["full"], SCALES["small"]
    assert (full.people, full.pilots, full.workgroups) == (10_000, 500, 2_000)
    assert (full.observations, full.cycles) == (5_000_000, 100_000)
    assert small.people * 100 == full.people and small.observations * 100 == full.observations


def test_the_xl_scale_is_ten_times_the_full_one():
    full, xl = SCALES["full"], SCALES["xl"]
    assert (xl.people, xl.pilots, xl.workgroups) == (100_000, 5_000, 20_000)
    assert (xl.observations, xl.cycles) == (50_000_000, 1_000_000)
    assert xl.person_weeks == full.person_weeks  # the same history, ten times the people


def test_a_bench_database_name_never_points_at_the_app_database():
    assert database_url("small").endswith("/redefine_bench_small")


def _fingerprint(url: str) -> list:
    from bench.generate import _connect

    with _connect(url) as conn:
        return conn.execute(
            """SELECT (SELECT md5(string_agg(concat_ws(',', id, metric_id, subject_id,
                         period_start, value, is_current, supersedes_id), ';' ORDER BY id))
                       FROM metrics_observation),
                      (SELECT md5(string_agg(concat_ws(',', id, external_id, full_name,
                         manager_id), ';' ORDER BY id)) FROM people_person),
                      (SELECT md5(string_agg(concat_ws(',', pilot_id, person_id, metric_id,
                         value), ';' ORDER BY pilot_id, person_id, metric_id))
                       FROM metrics_baseline),
                      (SELECT count(*) FROM coaching_cycle)"""
        ).fetchone()


def _drop(server: str, name: str) -> None:
    from bench.generate import _connect

    with _connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(not ON_POSTGRES, reason="the generator only runs on PostgreSQL")
def test_generating_twice_at_the_same_scale_gives_identical_tables():
    tiny = Scale("tiny", people=30, pilots=3, workgroups=6, observations=2_000, cycles=60)
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    url = f"{server}/redefine_bench_unittest"
    try:
        first = generate(tiny, url, log=lambda message: None)
        fingerprint = _fingerprint(url)
        second = generate(tiny, url, log=lambda message: None)
        assert _fingerprint(url) == fingerprint
    finally:
        _drop(server, "redefine_bench_unittest")
    assert first["rows"] == second["rows"]
    assert first["rows"]["people_person"] == 30 and first["rows"]["coaching_cycle"] == 60


def test_the_xl_scale_asks_for_more_disk_than_its_measured_14_gb_database():
    assert SCALES["xl"].disk_bytes > 14e9
    assert SCALES["full"].disk_bytes > 1.4e9


@pytest.mark.skipif(not ON_POSTGRES, reason="the generator only runs on PostgreSQL")
def test_a_scale_too_big_for_the_servers_disk_stops_before_anything_is_dropped():
    from bench.generate import check_disk

    huge = Scale("huge", 10, 1, 1, 10**15, 1)
    said = []
    with pytest.raises(SystemExit, match="Not enough disk"):
        check_disk(huge, database_url("small"), said.append)
    assert "needs about" in said[0]

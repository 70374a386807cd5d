"""The backup and restore paths in docs/operations.md work: a dump restored into a fresh,
empty database holds the same rows, table by table."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tests.matrix.cast import build_cast

ROOT = Path(__file__).resolve().parents[2]

# What docs/operations.md tells operators to leave out of a dumpdata backup: rebuilt by
# migrate (content types, permissions) or disposable (sessions, login attempts, the queue of
# rollup changes, which the load's own triggers fill again for the worker to drain).
DUMPDATA_EXCLUDES = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "admin.logentry",
    "portfolio.rollupchange",
]

COUNT_MODELS = """
import json, django
django.setup()
from django.apps import apps
print(json.dumps({m._meta.label: m._default_manager.count() for m in apps.get_models()}))
"""


@pytest.fixture
def organisation(alice, bob, carol, dan, erin, hilda, mallory, org):
    users = {u.username: u for u in (alice, bob, carol, dan, erin, hilda, mallory)}
    return build_cast(users, org)


def _counts(excluded_apps: set[str]) -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in excluded_apps
    }


def _run(args, **env) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 - fixed commands, our interpreter
        args, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.django_db(transaction=True)
def test_dumpdata_restored_with_loaddata_into_a_fresh_database_has_every_row(
    organisation, tmp_path
):
    dump = tmp_path / "backup.json"
    # Natural keys: the fresh database's migrate already made the role groups, maybe with
    # other primary keys; loaddata then matches them by name instead of clashing.
    excludes = [f"--exclude={x}" for x in DUMPDATA_EXCLUDES]
    call_command("dumpdata", "--natural-foreign", "--natural-primary", *excludes,
                 "--output", str(dump))  # fmt: skip
    fresh = {"DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}", "REDIS_URL": ""}
    _run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], **fresh)
    _run([sys.executable, "manage.py", "loaddata", str(dump)], **fresh)
    counted = _run([sys.executable, "-c", COUNT_MODELS], DJANGO_SETTINGS_MODULE="config.settings",
                   **fresh)  # fmt: skip
    restored = json.loads(counted.stdout.strip().splitlines()[-1])
    skipped = {"contenttypes", "sessions", "axes", "admin"}
    original = _counts(skipped)
    original.pop("auth.Permission")
    original.pop("portfolio.RollupChange")
    assert sum(original.values()) > 40
    assert {k: restored[k] for k in original} == original


def _table_counts(dbname: str) -> dict[str, int]:
    """Exact row counts of every table in `dbname`, through psql (no Django connection)."""
    query = (
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema='public' AND table_type='BASE TABLE' ORDER BY 1"
    )
    psql = ["psql", "-h", connection.settings_dict["HOST"] or "127.0.0.1",
            "-U", connection.settings_dict["USER"], "-d", dbname, "-At", "-c"]  # fmt: skip
    tables = _run([*psql, query]).stdout.split()
    union = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    rows = _run([*psql, union]).stdout.splitlines()
    return {name: int(count) for name, count in (row.split("|") for row in rows)}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_pg_dump_restored_with_pg_restore_into_a_fresh_database_has_every_row(
    organisation, tmp_path
):
    db = connection.settings_dict
    host, user, source = db["HOST"] or "127.0.0.1", db["USER"], db["NAME"]
    restored_db = f"{source}_restored"
    dump = tmp_path / "redefine.dump"
    _run(["pg_dump", "-h", host, "-U", user, "--format=custom", "--file", str(dump), source])
    _run(["dropdb", "-h", host, "-U", user, "--if-exists", restored_db])
    _run(["createdb", "-h", host, "-U", user, restored_db])
    try:
        _run(["pg_restore", "-h", host, "-U", user, "--no-owner", "--exit-on-error",
              "-d", restored_db, str(dump)])  # fmt: skip
        original, restored = _table_counts(source), _table_counts(restored_db)
    finally:
        _run(["dropdb", "-h", host, "-U", user, "--if-exists", restored_db])
    # The cast's two sides: each a running pilot with its baseline, and a draft.
    assert original["pilots_pilot"] == 4 and original["metrics_baseline"] == 2
    assert restored == original

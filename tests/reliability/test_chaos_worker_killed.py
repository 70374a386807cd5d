"""Chaos: SIGKILL the worker's child in the middle of a task. Late acknowledgement with
reject-on-worker-lost puts the message back, and the idempotent task completes exactly once.

The test starts its own worker on its own Redis database (14) with a 10 s visibility timeout,
so it never steals work from, or disturbs, the suite's worker."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from core.models import ProbeRun

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CHAOS_REDIS = os.environ.get("CHAOS_REDIS_URL", "redis://127.0.0.1:6379/14")


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _flush_chaos_redis() -> None:
    import redis

    redis.Redis.from_url(CHAOS_REDIS).flushdb()


@pytest.fixture
def chaos_worker(tmp_path):
    """A real `celery worker -c 1` of our own, reading the test database."""
    _flush_chaos_redis()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": CHAOS_REDIS,
        "CELERY_BROKER_URL": CHAOS_REDIS,
        "CELERY_VISIBILITY_TIMEOUT": "10",
        "CONN_MAX_AGE": "0",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-c",
            "1",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            "chaos@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield worker
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    log.close()
    _flush_chaos_redis()
    print((tmp_path / "worker.log").read_text()[-3000:])


def _wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    return None


def test_a_task_whose_worker_child_is_killed_mid_task_still_completes_exactly_once(
    chaos_worker,
):
    run = ProbeRun.objects.create(label="chaos")
    publisher = Celery("chaos-publisher", broker=CHAOS_REDIS, set_as_current=False)
    publisher.send_task("core.tasks.slow_probe", kwargs={"run_id": run.pk, "seconds": 5})
    publisher.close()

    def first_attempt_running():
        current = ProbeRun.objects.get(pk=run.pk)
        return current.worker_pid if current.attempts == 1 else None

    child_pid = _wait_for(first_attempt_running, seconds=60)
    assert child_pid, "the chaos worker never started the task"
    assert child_pid != chaos_worker.pid, "the task must run in the worker's child process"
    os.kill(child_pid, signal.SIGKILL)

    done = _wait_for(lambda: ProbeRun.objects.get(pk=run.pk).completed_at, seconds=60)
    assert done, "the task was lost with its worker child"
    time.sleep(2)  # a third, duplicate delivery would show up here
    run.refresh_from_db()
    assert run.completions == 1
    assert run.attempts == 2
    assert run.worker_pid != child_pid

"""`make run`'s embedded broker end to end: a real worker with beat on kombu's filesystem
transport, reading the test database, runs what web requests queue and what beat schedules
(services pass: the worker needs a database another process can read)."""

import os
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from config.celery import app
from core.models import Heartbeat, OutboxTask
from portfolio.models import RollupState

from ..portfolio.conftest import make_pilot, make_workgroup, metric

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def embedded_worker(tmp_path):
    """A worker with embedded beat on a filesystem broker in tmp_path, as `make run` starts
    them, and this process publishing to the same folder (not inline)."""
    queue, processed = tmp_path / "queue", tmp_path / "processed"
    queue.mkdir()
    processed.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")}
    env.update(
        CELERY_BROKER_URL="filesystem://",
        BROKER_DIR=str(tmp_path),
        DATABASE_URL=_database_url(),
        CONN_MAX_AGE="0",
    )
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-B", "--pool", "solo"]
        + ["-l", "info", "--schedule", str(tmp_path / "beat-schedule")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options)
    app.conf.broker_url, app.conf.task_always_eager = "filesystem://", False
    app.conf.broker_transport_options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(processed),
        "store_processed": False,
        "control_folder": str(tmp_path / "control"),
    }
    log_path = tmp_path / "worker.log"
    # Like a person who ran `make run`: the worker is up before anyone writes.
    _wait_for(lambda: "ready." in log_path.read_text(), 90, log_path, "the worker did not start")
    yield log_path
    app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options = saved
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
    log.close()


def _wait_for(condition, seconds: float, log: Path, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.5)
    pytest.fail(f"{what} within {seconds:.0f} s; worker log:\n{log.read_text()[-3000:]}")


def test_a_task_queued_by_a_web_request_runs_in_the_embedded_worker(client, alice, embedded_worker):
    client.force_login(alice)
    response = client.post(reverse("portfolio:refresh"))
    assert response.status_code == 302
    intent = OutboxTask.objects.get(task_name="portfolio.tasks.refresh_rollups")
    assert intent.sent_at is not None  # published to the filesystem queue, not run here
    _wait_for(
        lambda: RollupState.objects.filter(refreshed_at__isnull=False).exists(),
        30,
        embedded_worker,
        "the worker did not refresh the figures",
    )


def test_an_observation_posted_through_the_api_is_in_the_figures_within_a_minute(
    client, alice, carol, client_with_scopes, embedded_worker
):
    """Nobody clicks "Recalculate now": beat's refresh puts it in the dashboard, and the
    heartbeats of beat and the worker show on /healthz."""
    pilot = make_pilot(alice)
    make_workgroup(pilot, carol)
    metric("value_created", "EUR", "value")
    row = {
        "metric": "value_created",
        "subject_type": "pilot",
        "subject_id": str(pilot.pk),
        "period_start": date(2026, 7, 6).isoformat(),
        "period_end": date(2026, 7, 12).isoformat(),
        "value": "6500",
        "source": "finance",
    }
    answer = client_with_scopes("metrics:write").post(
        "/api/v1/observations/bulk/", {"rows": [row]}, format="json"
    )
    assert answer.status_code == 200, answer.content
    client.force_login(alice)

    def dashboard_value():
        rows = client.get(reverse("portfolio:dashboard")).context["rows"]
        return next(r.value for r in rows if r.pilot.pk == pilot.pk) == Decimal("6500")

    _wait_for(dashboard_value, 60, embedded_worker, "the observation was not in the figures")
    _wait_for(
        lambda: Heartbeat.objects.filter(name__in=["beat", "worker"]).count() == 2,
        20,
        embedded_worker,
        "beat and the worker did not both beat",
    )
    health = client.get("/healthz").json()
    assert health["broker_kind"] == "filesystem" and health["broker"] == "ok"
    assert health["worker"]["last_heartbeat"] and health["beat"]["last_heartbeat"]
    page = client.get(reverse("portfolio:dashboard")).content.decode()
    assert "data-scheduler-stale" not in page

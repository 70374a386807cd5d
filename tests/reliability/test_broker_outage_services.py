"""Against the real Redis and the real worker: a write made while the broker is down is
published by the sweep once Redis is back, and the worker runs it exactly once."""

import time

import pytest
from django.conf import settings
from django.db import transaction

from core.models import OutboxTask, ProbeRun
from core.outbox import enqueue
from core.tasks import outbox_sweep

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_work_queued_while_redis_was_down_runs_exactly_once_after_it_is_back(broker_at):
    broker_at("redis://127.0.0.1:1/0")
    started = time.monotonic()
    with transaction.atomic():
        run = ProbeRun.objects.create(label="queued during an outage")
        intent = enqueue("core.tasks.slow_probe", run_id=run.pk)
    assert time.monotonic() - started < 5
    assert OutboxTask.objects.get(pk=intent.pk).sent_at is None

    broker_at(settings.CELERY_BROKER_URL)
    assert outbox_sweep(older_than_seconds=0) == 1
    assert _wait_for(lambda: ProbeRun.objects.get(pk=run.pk).completions == 1), (
        "the worker did not run the swept task within 30 s"
    )
    assert outbox_sweep(older_than_seconds=0) == 0
    time.sleep(1)  # a duplicate delivery would have landed by now
    run.refresh_from_db()
    assert (run.attempts, run.completions) == (1, 1)
    assert run.worker_pid is not None

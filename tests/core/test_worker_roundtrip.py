"""A task goes through Redis to the real Celery worker and runs there (services pass)."""

import os
import time
import uuid

import pytest
from django.core.cache import cache
from django.db import transaction

from core.models import OutboxTask
from core.outbox import enqueue

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_task_sent_through_redis_runs_on_the_worker():
    key = uuid.uuid4().hex
    with transaction.atomic():
        intent = enqueue("core.tasks.health_probe", key=key)
    deadline = time.monotonic() + 30
    while (mark := cache.get(f"health-probe:{key}")) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert mark is not None, "the worker did not run the task within 30 s"
    assert mark["pid"] != os.getpid()
    assert OutboxTask.objects.get(pk=intent.pk).sent_at is not None

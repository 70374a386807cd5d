"""Every Celery task in Redefine, whoever wrote it, survives a crash and retries politely:
late acknowledgement, requeued when its worker dies, at most 5 retries with backoff and
jitter, and a time limit the broker's visibility timeout covers twice over."""

import pytest
from django.conf import settings

from config.celery import app

OUR_APPS = ("core.", "people.", "pilots.", "metrics.", "coaching.", "portfolio.", "hrapi.")


def our_tasks():
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if name.startswith(OUR_APPS))


def test_the_registry_holds_our_tasks():
    assert "core.tasks.outbox_sweep" in our_tasks()


@pytest.mark.parametrize("name", our_tasks())
def test_each_task_is_acknowledged_late_and_requeued_when_its_worker_dies(name):
    task = app.tasks[name]
    assert task.acks_late is True, f"{name}: set acks_late=True"
    assert task.reject_on_worker_lost is True, f"{name}: set reject_on_worker_lost=True"


@pytest.mark.parametrize("name", our_tasks())
def test_each_task_retries_at_most_five_times_with_backoff_and_jitter(name):
    task = app.tasks[name]
    assert task.max_retries is not None and task.max_retries <= 5, f"{name}: max_retries ≤ 5"
    # A task that never retries by itself (a periodic sweep runs again on schedule anyway)
    # needs no backoff; one that retries must spread its retries out.
    if getattr(task, "autoretry_for", ()):
        assert getattr(task, "retry_backoff", False), f"{name}: set retry_backoff=True"
        assert getattr(task, "retry_jitter", False), f"{name}: set retry_jitter=True"


@pytest.mark.parametrize("name", our_tasks())
def test_the_visibility_timeout_is_at_least_twice_each_tasks_time_limit(name):
    task = app.tasks[name]
    limit = task.time_limit or app.conf.task_time_limit
    assert limit, f"{name}: every task needs a hard time limit"
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility >= 2 * limit, f"{name}: time limit {limit}s vs visibility {visibility}s"


def test_the_worker_settings_keep_tasks_through_crashes():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    # One message at a time per child: a crash can only lose (and requeue) that one.
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT


def test_publishing_gives_up_within_seconds_when_the_broker_is_down():
    assert app.conf.broker_connection_timeout <= 3
    assert app.conf.broker_transport_options["socket_connect_timeout"] <= 3
    assert app.conf.task_publish_retry is False

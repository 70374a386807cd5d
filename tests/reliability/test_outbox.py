"""With the broker unreachable a write still commits quickly, the person is told the
background part will follow, and the sweep later runs it exactly once."""

import time

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from config.celery import app
from core.models import OutboxTask, ProbeRun
from core.outbox import DEFERRED_HEADER, DEFERRED_MESSAGE, DeferredWorkMiddleware, enqueue
from core.tasks import outbox_sweep

pytestmark = pytest.mark.django_db(transaction=True)


def _write_with_background_work(label: str = "write") -> ProbeRun:
    """A write the way services do it: the change and its task intent in one transaction."""
    with transaction.atomic():
        run = ProbeRun.objects.create(label=label)
        enqueue("core.tasks.slow_probe", run_id=run.pk)
    return run


def _through_middleware(view, path: str):
    request = RequestFactory().post(path)
    chain = SessionMiddleware(MessageMiddleware(DeferredWorkMiddleware(view)))
    response = chain(request)
    return request, response


def test_a_write_commits_within_seconds_when_the_broker_is_unreachable(broker_down):
    started = time.monotonic()
    run = _write_with_background_work()
    assert time.monotonic() - started < 5, "publishing must give up fast, not hang the request"
    assert ProbeRun.objects.filter(pk=run.pk).exists()
    intent = OutboxTask.objects.get()
    assert intent.sent_at is None
    assert intent.publish_attempts == 1
    assert "127.0.0.1:1" in intent.last_error or "refused" in intent.last_error.lower()


def test_several_tasks_in_one_request_wait_for_the_broker_only_once(broker_down):
    def view(request):
        for n in range(5):
            _write_with_background_work(f"write {n}")
        return HttpResponseRedirect("/pilots/")

    started = time.monotonic()
    _, response = _through_middleware(view, "/pilots/new/")
    assert time.monotonic() - started < 5
    assert response[DEFERRED_HEADER] == "5"
    assert OutboxTask.objects.unsent().count() == 5


def test_a_web_write_tells_the_person_the_background_part_will_follow(broker_down):
    def view(request):
        _write_with_background_work()
        return HttpResponseRedirect("/pilots/1/")

    request, response = _through_middleware(view, "/pilots/1/start/")
    assert response.status_code == 302
    assert [m.message for m in get_messages(request)] == [DEFERRED_MESSAGE]


def test_an_api_write_says_so_in_a_header_and_keeps_its_body(broker_down):
    def view(request):
        _write_with_background_work()
        return HttpResponse('{"id": 1}', status=201, content_type="application/json")

    request, response = _through_middleware(view, "/api/v1/pilots/")
    assert response.status_code == 201
    assert response[DEFERRED_HEADER] == "1"
    assert list(get_messages(request)) == []


def test_a_write_with_a_reachable_broker_says_nothing_extra(inline_broker):
    def view(request):
        _write_with_background_work()
        return HttpResponseRedirect("/")

    request, response = _through_middleware(view, "/pilots/1/start/")
    assert DEFERRED_HEADER not in response
    assert list(get_messages(request)) == []


def test_the_sweep_runs_the_deferred_work_exactly_once_when_the_broker_is_back(broker_at):
    broker_at("redis://127.0.0.1:1/0")
    run = _write_with_background_work()
    assert outbox_sweep(older_than_seconds=0) == 0  # still down: nothing sent, nothing lost
    app.conf.task_always_eager = True  # the broker is back (inline on the embedded default)
    assert outbox_sweep(older_than_seconds=0) == 1
    assert outbox_sweep(older_than_seconds=0) == 0
    run.refresh_from_db()
    assert (run.attempts, run.completions) == (1, 1)
    assert OutboxTask.objects.unsent().count() == 0


def test_the_sweep_leaves_fresh_intents_to_their_own_commit_hook(broker_down):
    _write_with_background_work()
    assert outbox_sweep(older_than_seconds=30) == 0


def test_a_task_delivered_twice_does_its_work_once(inline_broker):
    run = _write_with_background_work()
    app.tasks["core.tasks.slow_probe"].apply(kwargs={"run_id": run.pk})
    run.refresh_from_db()
    assert (run.attempts, run.completions) == (1, 1)


def test_a_rolled_back_write_leaves_no_task_behind(broker_down):
    with pytest.raises(RuntimeError), transaction.atomic():
        ProbeRun.objects.create(label="doomed")
        enqueue("core.tasks.slow_probe", run_id=0)
        raise RuntimeError("the write failed")
    assert OutboxTask.objects.count() == 0


def test_enqueueing_an_unknown_task_fails_at_once_not_in_the_sweep():
    with pytest.raises(LookupError, match="core.tasks.no_such_task"), transaction.atomic():
        enqueue("core.tasks.no_such_task")

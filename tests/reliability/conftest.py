"""Fault injection for the broker: point Celery at a closed port, or at a given Redis."""

import pytest

from config.celery import app

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_at():
    """Factory: make this process publish to `url` for real (not inline) until the test ends."""
    saved = app.conf.broker_url, app.conf.task_always_eager

    def point(url: str) -> None:
        app.conf.broker_url = url
        app.conf.task_always_eager = False

    yield point
    app.conf.broker_url, app.conf.task_always_eager = saved


@pytest.fixture
def broker_down(broker_at):
    broker_at(UNREACHABLE_BROKER)


@pytest.fixture
def inline_broker():
    """The broker is back, as the embedded default has it: tasks run here and now."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved

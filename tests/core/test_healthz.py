"""/healthz tells an operator whether the database and the broker answer."""

import pytest

pytestmark = pytest.mark.django_db


def test_reports_database_and_inline_broker_on_the_embedded_default(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_an_unreachable_broker_makes_it_degraded(client):
    from config.celery import app

    eager, url = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, url
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")

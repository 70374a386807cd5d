"""Real writes while Redis is unreachable: a leader's settings form and an HR system's bulk
observation push both commit, say the background part will follow, and the sweep catches up."""

import time

import pytest

from core.models import OutboxTask
from core.outbox import DEFERRED_HEADER, DEFERRED_MESSAGE
from core.tasks import outbox_sweep
from metrics.models import MetricDefinition, Observation
from portfolio.models import OrganisationSettings

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_web_form_saves_and_says_the_recalculation_will_follow(client, alice, broker_down):
    client.force_login(alice)
    started = time.monotonic()
    response = client.post(
        "/portfolio/settings/", {"hourly_rate": "87.50", "currency": "eur"}, follow=True
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert DEFERRED_MESSAGE in response.content.decode()
    assert str(OrganisationSettings.load().hourly_rate) == "87.50"
    assert OutboxTask.objects.unsent().filter(task_name="portfolio.tasks.refresh_rollups").exists()


def test_an_api_bulk_push_commits_and_flags_the_deferred_work(
    client_with_scopes, carol, broker_down
):
    MetricDefinition.objects.create(
        key="tickets-closed", name="Tickets closed", unit="tickets", kind="performance",
        direction="higher_is_better", aggregation="sum",
    )  # fmt: skip
    api = client_with_scopes("metrics:write")
    row = {"metric": "tickets-closed", "subject_type": "person", "subject_id": "P-CAROL",
           "period_start": "2026-11-02", "period_end": "2026-11-08", "value": "12",
           "source": "hr"}  # fmt: skip
    started = time.monotonic()
    response = api.post("/api/v1/observations/bulk/", {"rows": [row]}, format="json")
    assert time.monotonic() - started < 5
    assert response.status_code in (200, 201), response.content
    assert response.json()["created"] == 1
    assert response[DEFERRED_HEADER] == "1"
    assert Observation.objects.count() == 1


def test_the_sweep_runs_what_the_outage_held_back_once_the_broker_is_back(
    client, alice, broker_down, settings
):
    client.force_login(alice)
    client.post("/portfolio/settings/", {"hourly_rate": "90", "currency": "EUR"})
    assert OutboxTask.objects.unsent().count() == 1
    from config.celery import app

    app.conf.task_always_eager = True  # the broker is back (inline on the embedded default)
    assert outbox_sweep(older_than_seconds=0) == 1
    assert OutboxTask.objects.unsent().count() == 0

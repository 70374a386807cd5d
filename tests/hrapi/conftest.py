"""Webhook fixtures: a receiver on an allowed loopback address, a subscription to it, and a
way to run what the beat's sweep would run."""

import pytest

from hrapi.events import PILOT_STARTED
from hrapi.services import api_client_create, webhook_subscription_create
from hrapi.tasks import webhook_retry_due
from tests.hrapi.receiver import RECEIVER_ADDRESS, Receiver


@pytest.fixture(autouse=True)
def _receiver_network_allowed(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = [f"{RECEIVER_ADDRESS}/32"]


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def subscribed(db, receiver):
    """(subscription, raw secret) for pilot.started to the receiver."""
    client, _ = api_client_create(name="payroll", scopes=["metrics:read"])
    return webhook_subscription_create(client=client, url=receiver.url, events=[PILOT_STARTED])


@pytest.fixture
def deliver_due(django_capture_on_commit_callbacks):
    """Run the beat's sweep once, as the worker would: every due delivery gets its attempt."""

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return webhook_retry_due()

    return run

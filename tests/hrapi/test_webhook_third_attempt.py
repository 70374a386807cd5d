"""A receiver that fails twice gets the event on the third attempt: beat's sweep queues each
retry once its backoff (1, then 2 minutes) is over, and the worker posts it."""

import pytest
from django.utils import timezone

from config.celery import app
from hrapi.events import PILOT_STARTED, publish_event
from hrapi.models import DeliveryStatus, WebhookDelivery
from tests.portfolio.conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(alice, carol):
    pilot = make_pilot(alice)
    make_workgroup(pilot, carol)
    return pilot


def test_a_receiver_failing_twice_is_delivered_on_the_third_attempt(
    subscribed, receiver, pilot, deliver_due
):
    assert app.conf.beat_schedule["hrapi-webhook-retry-due"]["schedule"] == 60.0
    receiver.status = 503
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    deliver_due()
    for attempt, status in ((2, 503), (3, 204)):
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at
        assert deliver_due() == 0  # the backoff is not over yet
        receiver.status = status
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())  # …and now it is
        assert deliver_due() == 1
        assert WebhookDelivery.objects.get().attempts == attempt
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(receiver.requests) == 3

"""The integrations pages for webhooks: HR admins only; a subscription's log with outcome
classes, pause and resume, and redelivery of a finished delivery."""

import pytest

from hrapi.events import PILOT_STARTED, publish_event
from hrapi.models import WebhookDelivery
from tests.portfolio.conftest import make_pilot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["alice", "carol", "erin", "mallory"])
def test_only_hr_admins_reach_the_webhook_pages(client, cast_users, who, subscribed):
    subscription, _ = subscribed
    client.force_login(cast_users[who])
    assert client.get("/integrations/webhooks/").status_code == 403
    assert client.get(f"/integrations/webhooks/{subscription.pk}/").status_code == 403
    path = f"/integrations/webhooks/{subscription.pk}/active/"
    assert client.post(path, {"active": "false"}).status_code == 403
    subscription.refresh_from_db()
    assert subscription.active


@pytest.fixture
def cast_users(alice, carol, erin, mallory):
    return {"alice": alice, "carol": carol, "erin": erin, "mallory": mallory}


def test_an_hr_admin_pauses_reads_the_log_and_redelivers(
    client, hilda, alice, subscribed, receiver, deliver_due
):
    subscription, _ = subscribed
    client.force_login(hilda)
    publish_event(PILOT_STARTED, pilot_id=make_pilot(alice).pk)
    deliver_due()
    delivery = WebhookDelivery.objects.get()
    page = client.get(f"/integrations/webhooks/{subscription.pk}/").content.decode()
    assert "2xx (delivered)" in page and "Redeliver" in page
    redeliver = f"/integrations/webhooks/{subscription.pk}/deliveries/{delivery.pk}/redeliver/"
    done = client.post(redeliver, follow=True)
    assert "Queued delivery" in done.content.decode()
    deliver_due()
    assert len(receiver.requests) == 2
    client.post(f"/integrations/webhooks/{subscription.pk}/active/", {"active": "false"})
    subscription.refresh_from_db()
    assert not subscription.active
    refused = client.post(redeliver, follow=True).content.decode()
    assert "The subscription is inactive." in refused
    assert WebhookDelivery.objects.count() == 2


def test_a_delivery_of_another_subscription_cannot_be_redelivered_through_this_one(
    client, hilda, alice, subscribed, deliver_due
):
    subscription, _ = subscribed
    publish_event(PILOT_STARTED, pilot_id=make_pilot(alice).pk)
    deliver_due()
    delivery = WebhookDelivery.objects.get()
    client.force_login(hilda)
    other = subscription.pk + 1000
    response = client.post(f"/integrations/webhooks/{other}/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 404
    assert WebhookDelivery.objects.count() == 1

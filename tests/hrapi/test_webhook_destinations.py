"""Webhooks as a way into the internal network, tried as an attacker with the webhooks scope
(or an HR admin's form) would: every internal address in every spelling is refused when the
subscription is saved, again when a delivery is dialled, and a name that changes its answer
cannot move the POST. The log never shows what an internal service said."""

import socket

import pytest

from hrapi.events import PILOT_STARTED, publish_event
from hrapi.models import WebhookDelivery, WebhookSubscription
from hrapi.services import api_client_create, webhook_subscription_create
from tests.hrapi.receiver import Receiver
from tests.portfolio.conftest import make_pilot

pytestmark = pytest.mark.django_db

INTERNAL_URLS = [
    "http://127.0.0.1:8000/",
    "http://localhost/",
    "http://localhost./admin/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://0/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://2130706433/",
    "http://017700000001/",
    "http://0177.0.0.1/",
    "http://0x7f.0.0.1/",
    "http://0x7f000001/",
    "http://127.1/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1:8080/",
    "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://255.255.255.255/",
    "http://240.0.0.1/",
    "http://[64:ff9b::7f00:1]/",
    "http://[2002:7f00:1::]/",
    "http://user:pw@127.0.0.1/",
    "ftp://127.0.0.1/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_FLUSHALL",
]


@pytest.fixture
def hooks_api(client_with_scopes):
    return client_with_scopes("webhooks", name="attacker")


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_an_internal_url_is_refused_when_a_client_subscribes(hooks_api, url):
    response = hooks_api.post(
        "/api/v1/webhooks/", {"url": url, "events": [PILOT_STARTED]}, format="json"
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] in ("destination_refused", "invalid") and body["fields"]["url"]
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://[::1]/", "http://0x7f.1/"])
def test_an_internal_url_is_refused_when_moved_to_later(hooks_api, url, receiver):
    created = hooks_api.post(
        "/api/v1/webhooks/", {"url": receiver.url, "events": [PILOT_STARTED]}, format="json"
    ).json()
    response = hooks_api.patch(f"/api/v1/webhooks/{created['id']}/", {"url": url}, format="json")
    assert response.status_code == 400
    assert WebhookSubscription.objects.get().url == receiver.url


def test_the_admin_form_refuses_an_internal_url(client, hilda):
    hilda.is_superuser = True
    hilda.save()
    api_client, _ = api_client_create(name="payroll", scopes=["metrics:read"])
    client.force_login(hilda)
    response = client.post(
        "/admin/hrapi/webhooksubscription/add/",
        {
            "client": api_client.pk,
            "url": "http://[::ffff:127.0.0.1]:6379/",
            "events": ["pilot.started"],
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "127.0.0.1 is a loopback address" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_the_integrations_page_refuses_an_internal_url(client, hilda):
    api_client, _ = api_client_create(name="payroll", scopes=["metrics:read"])
    client.force_login(hilda)
    response = client.post(
        "/integrations/webhooks/",
        {
            "client": api_client.pk,
            "url": "http://169.254.169.254/",
            "events": ["pilot.started"],
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "link-local address" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


@pytest.fixture
def pilot(alice):
    return make_pilot(alice)


def test_a_destination_that_became_internal_is_refused_when_dialled(
    subscribed, receiver, pilot, deliver_due, settings
):
    settings.WEBHOOK_ALLOWED_NETWORKS = []  # the receiver's address is no longer allowed
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == []
    assert (delivery.status, delivery.outcome, delivery.attempts) == ("failed", "refused", 1)
    assert "loopback" in delivery.last_error
    assert delivery.next_attempt_at is None  # refused is final: nothing to retry


def test_a_url_changed_behind_the_services_back_is_refused_when_dialled(
    subscribed, receiver, pilot, deliver_due
):
    subscription, _ = subscribed
    internal = Receiver(address="127.0.0.3")
    try:
        WebhookSubscription.objects.filter(pk=subscription.pk).update(url=internal.url)
        publish_event(PILOT_STARTED, pilot_id=pilot.pk)
        deliver_due()
        assert internal.requests == []
        assert WebhookDelivery.objects.get().outcome == "refused"
    finally:
        internal.close()


class FakeDns:
    """`hooks.example.test` answers with the given addresses in turn (the last one forever);
    every other name resolves as usual."""

    NAME = "hooks.example.test"

    def __init__(self, monkeypatch, *answers: list[str]):
        self.answers, self.calls = list(answers), 0
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            if host != self.NAME:
                return real(host, port, *args, **kwargs)
            self.calls += 1
            addresses = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _subscribe(port: int) -> WebhookSubscription:
    client, _ = api_client_create(name="payroll", scopes=["metrics:read"])
    url = f"http://{FakeDns.NAME}:{port}/hook"
    return webhook_subscription_create(client=client, url=url, events=[PILOT_STARTED])[0]


def test_a_name_rebound_to_an_internal_address_after_saving_gets_nothing(
    monkeypatch, receiver, pilot, deliver_due
):
    internal = Receiver(address="127.0.0.3", status=200)
    try:
        FakeDns(monkeypatch, ["127.0.0.2"], ["127.0.0.3"])
        _subscribe(internal.port)
        publish_event(PILOT_STARTED, pilot_id=pilot.pk)
        deliver_due()
        assert internal.requests == []
        assert WebhookDelivery.objects.get().outcome == "refused"
    finally:
        internal.close()


def test_the_post_goes_to_the_address_that_was_checked_not_to_a_second_lookup(
    monkeypatch, receiver, pilot, deliver_due
):
    internal = Receiver(address="127.0.0.3", status=200)
    try:
        # Saving and the delivery's check see the receiver; a later lookup would see internal.
        dns = FakeDns(monkeypatch, ["127.0.0.2"], ["127.0.0.2"], ["127.0.0.3"])
        _subscribe(receiver.port)
        publish_event(PILOT_STARTED, pilot_id=pilot.pk)
        deliver_due()
        assert dns.calls == 2  # one lookup when saved, one when dialled
        assert internal.requests == [] and len(receiver.requests) == 1
        headers, _ = receiver.requests[0]
        assert headers["Host"] == f"{FakeDns.NAME}:{receiver.port}"
        assert WebhookDelivery.objects.get().outcome == "2xx"
    finally:
        internal.close()


def test_a_name_with_one_public_and_one_internal_address_is_refused(monkeypatch):
    FakeDns(monkeypatch, ["93.184.216.34", "127.0.0.1"])
    client, _ = api_client_create(name="payroll", scopes=["metrics:read"])
    with pytest.raises(Exception, match="resolves to an address that is not public"):
        webhook_subscription_create(
            client=client, url=f"http://{FakeDns.NAME}/", events=[PILOT_STARTED]
        )


def test_the_log_never_shows_what_the_receiver_answered(
    subscribed, receiver, pilot, deliver_due, hilda, client
):
    subscription, _ = subscribed
    receiver.status, receiver.body = 404, b"<h1>Jenkins internal dashboard</h1>"
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    deliver_due()
    client.force_login(hilda)
    page = client.get(f"/integrations/webhooks/{subscription.pk}/").content.decode()
    assert "4xx" in page and "Jenkins" not in page and "404" not in page
    delivery = WebhookDelivery.objects.get()
    assert "Jenkins" not in delivery.last_error and delivery.outcome == "4xx"

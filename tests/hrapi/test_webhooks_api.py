"""/api/v1/webhooks/: a client with the `webhooks` scope manages its own subscriptions (the
secret is in the 201 and nowhere after), reads their delivery log and redelivers; an HR
admin's session manages every client's; nobody else gets in."""

import pytest

from hrapi.events import PILOT_STARTED, publish_event
from hrapi.models import WebhookDelivery, WebhookSubscription
from tests.portfolio.conftest import make_pilot

pytestmark = pytest.mark.django_db


@pytest.fixture
def payroll(client_with_scopes):
    return client_with_scopes("webhooks", name="payroll")


@pytest.fixture
def rival(client_with_scopes):
    return client_with_scopes("webhooks", name="rival")


def _create(api, url, **extra):
    return api.post("/api/v1/webhooks/", {"url": url, "events": [PILOT_STARTED], **extra})


def test_a_client_subscribes_and_gets_the_secret_once(payroll, receiver):
    created = _create(payroll, receiver.url)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["client"] == "payroll"
    assert body["events"] == [PILOT_STARTED] and body["active"] is True
    read = payroll.get(f"/api/v1/webhooks/{body['id']}/").json()
    assert "secret" not in read and body["secret"] not in str(
        payroll.get("/api/v1/webhooks/").json()
    )
    assert WebhookSubscription.objects.get().signing_secret == body["secret"]


def test_a_client_sees_and_touches_only_its_own_subscriptions(payroll, rival, receiver):
    mine = _create(payroll, receiver.url).json()
    assert rival.get("/api/v1/webhooks/").json()["results"] == []
    path = f"/api/v1/webhooks/{mine['id']}/"
    assert rival.get(path).status_code == 404
    assert rival.patch(path, {"url": receiver.url + "?stolen"}).status_code == 404
    assert rival.delete(path).status_code == 404
    assert rival.get(path + "deliveries/").status_code == 404
    assert WebhookSubscription.objects.get().url == receiver.url


def test_a_client_cannot_subscribe_on_behalf_of_another(payroll, rival, receiver):
    response = _create(rival, receiver.url, client="payroll")
    assert response.status_code == 400
    assert response.json()["fields"]["client"] == ["A client manages only its own subscriptions."]


@pytest.mark.parametrize("scopes", [(), ("metrics:read",), ("pilots:read", "people:write")])
def test_a_token_without_the_webhooks_scope_is_refused(client_with_scopes, scopes, receiver):
    api = client_with_scopes(*scopes)
    assert api.get("/api/v1/webhooks/").status_code == 403
    assert _create(api, receiver.url).status_code == 403


def test_a_leader_session_is_refused_and_an_hr_admin_session_manages_all(
    api, alice, hilda, payroll, receiver
):
    _create(payroll, receiver.url)
    api.force_login(alice)
    assert api.get("/api/v1/webhooks/").status_code == 403
    api.force_login(hilda)
    assert len(api.get("/api/v1/webhooks/").json()["results"]) == 1
    missing = _create(api, receiver.url)
    assert missing.status_code == 400 and "client" in missing.json()["fields"]
    created = _create(api, receiver.url, client="payroll")
    assert created.status_code == 201 and created.json()["secret"].startswith("whsec_")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://127.0.0.2/", "events": []}, "events"),
        ({"url": "http://127.0.0.2/", "events": ["pilot.exploded"]}, "events"),
        ({"url": "http://127.0.0.2/", "events": "pilot.started"}, "events"),
        ({"url": "not a url", "events": [PILOT_STARTED]}, "url"),
        ({"url": "http://127.0.0.2/" + "a" * 600, "events": [PILOT_STARTED]}, "url"),
        ({"events": [PILOT_STARTED]}, "url"),
        ({"url": "http://127.0.0.2/", "events": [PILOT_STARTED], "active": "yes"}, "active"),
        ({"url": "http://127.0.0.2/\u0000", "events": [PILOT_STARTED]}, "url"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(payroll, body, field):
    response = payroll.post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] in ("invalid", "destination_refused")
    assert field in response.json()["fields"]
    assert not WebhookSubscription.objects.exists()


def test_patch_changes_only_what_it_carries_and_put_needs_every_field(payroll, receiver):
    created = _create(payroll, receiver.url).json()
    path = f"/api/v1/webhooks/{created['id']}/"
    paused = payroll.patch(path, {"active": False})
    assert paused.status_code == 200 and paused.json()["active"] is False
    assert paused.json()["url"] == receiver.url and paused.json()["events"] == [PILOT_STARTED]
    incomplete = payroll.put(path, {"url": receiver.url})
    assert incomplete.status_code == 400 and "events" in incomplete.json()["fields"]
    whole = payroll.put(path, {"url": receiver.url, "events": ["pilot.ended", "pilot.started"]})
    assert whole.status_code == 200 and whole.json()["active"] is True
    assert payroll.delete(path).status_code == 204
    assert not WebhookSubscription.objects.exists()


def test_the_delivery_log_and_redelivery(payroll, receiver, alice, deliver_due):
    created = _create(payroll, receiver.url).json()
    pilot = make_pilot(alice)
    publish_event(PILOT_STARTED, pilot_id=pilot.pk)
    log_path = f"/api/v1/webhooks/{created['id']}/deliveries/"
    (pending,) = payroll.get(log_path).json()["results"]
    assert pending["status"] == "pending" and pending["event_id"]
    early = payroll.post(f"{log_path}{pending['id']}/redeliver/")
    assert early.status_code == 409 and early.json()["code"] == "delivery_pending"
    deliver_due()
    again = payroll.post(f"{log_path}{pending['id']}/redeliver/")
    assert again.status_code == 202
    assert again.json()["redelivery_of"] == pending["id"]
    assert again.json()["event_id"] == pending["event_id"]
    deliver_due()
    assert len(receiver.requests) == 2
    outcomes = [d["outcome"] for d in payroll.get(log_path).json()["results"]]
    assert outcomes == ["2xx", "2xx"]


def test_redelivering_someone_elses_or_a_missing_delivery_is_a_404(
    payroll, rival, receiver, alice, deliver_due
):
    mine = _create(payroll, receiver.url).json()
    theirs = _create(rival, receiver.url).json()
    publish_event(PILOT_STARTED, pilot_id=make_pilot(alice).pk)
    deliver_due()
    foreign = WebhookDelivery.objects.get(subscription_id=theirs["id"])
    base = f"/api/v1/webhooks/{mine['id']}/deliveries"
    assert payroll.post(f"{base}/{foreign.pk}/redeliver/").status_code == 404
    assert payroll.post(f"{base}/99999999/redeliver/").status_code == 404
    assert payroll.post(f"{base}/{'9' * 30}/redeliver/").status_code == 404


@pytest.mark.parametrize("subscriptions", [1, 12])
def test_the_list_costs_the_same_queries_at_any_size(
    payroll, receiver, django_assert_num_queries, subscriptions
):
    for n in range(subscriptions):
        _create(payroll, f"{receiver.url}?n={n}")
    # 1 the token with its client, 2 the page count, 3 the page with its clients.
    with django_assert_num_queries(3):
        assert payroll.get("/api/v1/webhooks/").status_code == 200


def test_the_schema_documents_the_webhooks_api(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/webhooks/"])
    assert "/api/v1/webhooks/{id}/deliveries/" in paths
    assert "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver/" in paths

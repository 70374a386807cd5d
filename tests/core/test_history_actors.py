"""Every model a dispute needs keeps its history with the actor on each record: coaching
cycles and their stages, opportunities, org units, API clients and webhook subscriptions
(never their secret)."""

import json

import pytest
from django.test import Client

from coaching import services as coaching
from core.history import acting_as
from hrapi.models import AccessGroupMembership, ApiClient, WebhookSubscription
from hrapi.services import api_client_create, api_client_revoke
from people.models import OrgUnit
from tests.coaching.conftest import make_pilot, make_workgroup


@pytest.fixture
def group(bob, carol):
    return make_workgroup(make_pilot(bob), carol)


def test_a_cycles_stages_are_in_its_history_with_the_supervisor(group, carol):
    with acting_as(user=carol):
        cycle = coaching.cycle_start(workgroup=group, by=carol)
        coaching.cycle_save_data(cycle=cycle, by=carol, data_sought="Backlog", context="Q4")
        coaching.cycle_complete_stage(cycle=cycle, by=carol)
    stages = [r.stage for r in cycle.history.order_by("history_date", "history_id")]
    assert stages[0] == "data" and stages[-1] == "action"
    assert {r.history_user for r in cycle.history.all()} == {carol}


def test_an_opportunity_keeps_its_history(group, carol):
    with acting_as(user=carol):
        cycle = coaching.cycle_start(workgroup=group, by=carol)
        found = coaching.opportunity_add(cycle=cycle, by=carol, title="Duplicate forms")
    record = found.history.get()
    assert (record.title, record.history_user) == ("Duplicate forms", carol)


def test_an_org_unit_written_by_an_hr_system_names_the_client(client_with_scopes, org):
    hris = client_with_scopes("people:read", "people:write", name="hris")
    hris.patch("/api/v1/org-units/TEAM1/", {"name": "Team 1"}, format="json")
    latest = OrgUnit.objects.get(external_id="TEAM1").history.first()
    assert (latest.name, latest.history_api_client.name) == ("Team 1", "hris")


def test_an_org_unit_deactivation_is_recorded(client_with_scopes, org):
    hris = client_with_scopes("people:read", "people:write", name="hris")
    assert hris.delete("/api/v1/org-units/TEAM1/").status_code == 204
    latest = OrgUnit.objects.get(external_id="TEAM1").history.first()
    assert latest.active is False and latest.prev_record.active is True


def test_scim_group_membership_moves_are_in_each_persons_history(client_with_scopes, carol):
    idp = client_with_scopes("scim", name="idp")
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "Claims",
        "members": [{"value": str(carol.person.pk)}],
    }
    answer = idp.generic(
        "POST", "/scim/v2/Groups", json.dumps(body), content_type="application/scim+json"
    )
    assert answer.status_code == 201, answer.content
    # A SCIM group is an access group: joining it is the person's membership, recorded
    # with the identity provider that made it.
    joined = AccessGroupMembership.history.get(person=carol.person)
    assert joined.group.display_name == "Claims"
    assert joined.history_type == "+"
    assert joined.history_api_client.name == "idp"


def test_revoking_a_client_is_in_its_history_and_its_tokens(hilda, db):
    client, _ = api_client_create(name="old-hris", scopes=["people:read"], by=hilda)
    with acting_as(user=hilda):
        api_client_revoke(client=client)
    client.refresh_from_db()
    record = client.history.first()
    assert (record.revoked_at, record.history_user) == (client.revoked_at, hilda)
    token = client.tokens.get()
    assert token.history.first().revoked_at is not None
    assert not hasattr(token.history.first(), "token_hash")


def test_the_admin_cannot_delete_a_client(hilda, db):
    client, _ = api_client_create(name="old-hris", scopes=["people:read"], by=hilda)
    hilda.is_superuser = True
    hilda.save(update_fields=["is_superuser"])
    browser = Client()
    browser.force_login(hilda)
    answer = browser.post(f"/admin/hrapi/apiclient/{client.pk}/delete/", {"post": "yes"})
    assert answer.status_code == 403
    assert ApiClient.objects.filter(pk=client.pk).exists()


def test_a_webhook_subscriptions_history_never_holds_its_secret(db):
    client, _ = api_client_create(name="receiver", scopes=["people:read"])
    subscription = WebhookSubscription(
        client=client, url="https://hooks.example/", events=["person.updated"]
    )
    subscription.set_secret("whsec_x")
    subscription.save()
    subscription.active = False
    subscription.save(update_fields=["active"])
    records = list(subscription.history.all())
    assert len(records) == 2
    assert all(not hasattr(r, "secret_encrypted") for r in records)

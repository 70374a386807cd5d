"""A sponsor tries to approve their own pilot. Approval takes a portfolio leader other than
the sponsor; an organisation with one leader may allow self-approval, and the lifecycle record
then says so. Tried through the service, the page and the API."""

import pytest

from core.errors import NotAllowed
from pilots import lifecycle, services
from portfolio.models import OrganisationSettings
from tests.pilots.conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db


def _allow_self_approval():
    settings = OrganisationSettings.load()
    settings.allow_self_approval = True
    settings.save()


def test_a_sponsor_cannot_approve_their_own_pilot_through_the_service(alice, bob):
    pilot = make_pilot(bob)
    with pytest.raises(NotAllowed) as caught:
        services.pilot_approve(pilot=pilot, by=bob)
    assert caught.value.code == "approval_needs_another_leader"
    assert pilot.transitions.count() == 0


def test_a_sponsor_cannot_approve_their_own_pilot_on_the_page(client, alice, bob):
    pilot = make_pilot(bob)
    client.force_login(bob)
    assert client.post(f"/pilots/{pilot.pk}/move/approve/", {}).status_code == 403
    assert "approve" not in [m.name for m in lifecycle.available_moves(bob, pilot)]
    assert pilot.transitions.count() == 0


def test_a_sponsor_cannot_approve_their_own_pilot_over_the_api(api, alice, bob):
    pilot = make_pilot(bob)
    api.force_authenticate(bob)
    response = api.post(f"/api/v1/pilots/{pilot.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "approval_needs_another_leader"


def test_a_portfolio_leader_who_sponsors_cannot_approve_their_own_pilot(alice):
    pilot = make_pilot(alice)
    with pytest.raises(NotAllowed):
        services.pilot_approve(pilot=pilot, by=alice)


def test_another_portfolio_leader_approves_and_is_recorded(alice, bob, carol):
    pilot = make_pilot(bob)
    make_workgroup(pilot, bob, carol)
    services.pilot_approve(pilot=pilot, by=alice, reason="Ready", acknowledge_low_containment=True)
    move = pilot.transitions.get()
    assert (move.by, move.self_approved, move.reason) == (alice, False, "Ready")


def test_the_setting_does_not_help_while_another_portfolio_leader_exists(alice, bob):
    _allow_self_approval()
    pilot = make_pilot(bob)
    with pytest.raises(NotAllowed):
        services.pilot_approve(pilot=pilot, by=bob)


def test_a_one_leader_organisation_may_allow_self_approval_and_the_record_says_so(bob, carol):
    pilot = make_pilot(bob)
    make_workgroup(pilot, bob, carol)
    with pytest.raises(NotAllowed):
        services.pilot_approve(pilot=pilot, by=bob)  # the default: no self-approval
    _allow_self_approval()
    services.pilot_approve(
        pilot=pilot, by=bob, reason="Only leader here", acknowledge_low_containment=True
    )
    move = pilot.transitions.get()
    assert move.self_approved is True and move.by == bob
    assert move.reason.startswith("Only leader here") and "Self-approved" in move.reason


def test_a_supervisor_or_hr_admin_cannot_approve(carol, hilda, bob):
    pilot = make_pilot(bob)
    for user in (carol, hilda):
        with pytest.raises(NotAllowed):
            services.pilot_approve(pilot=pilot, by=user)

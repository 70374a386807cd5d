"""The supervisor's charter: signed by that supervisor, assured by the sponsor, before start."""

import pytest

from core.errors import DomainError, NotAllowed, StateConflict
from pilots import services, workgroups
from pilots.models import Charter
from tests.pilots.conftest import approve

pytestmark = pytest.mark.django_db


def _sign(workgroup, user, **overrides):
    acknowledgements = {"open_minded": True, "risk_tolerant": True, "customer_commitment": True}
    return workgroups.charter_sign(
        workgroup=workgroup, by=user, **{**acknowledgements, **overrides}
    )


def test_creating_a_workgroup_creates_its_unsigned_charter(workgroup):
    assert not Charter.objects.get(workgroup=workgroup).is_complete


def test_only_the_workgroups_supervisor_signs(workgroup, bob, dan, erin):
    for user in (bob, dan, erin):
        with pytest.raises(NotAllowed):
            _sign(workgroup, user)


def test_signing_needs_all_three_acknowledgements(workgroup, carol):
    with pytest.raises(DomainError) as caught:
        _sign(workgroup, carol, risk_tolerant=False)
    assert list(caught.value.fields) == ["risk_tolerant"]
    assert Charter.objects.get(workgroup=workgroup).signed_at is None


def test_only_the_sponsor_confirms_the_assurance(workgroup, alice, carol):
    for user in (alice, carol):
        with pytest.raises(NotAllowed):
            workgroups.charter_confirm_assurance(workgroup=workgroup, by=user)


def test_a_pilot_cannot_start_until_every_charter_is_complete(pilot, workgroup, bob, carol):
    approve(pilot, bob)
    with pytest.raises(StateConflict, match="still open: Triage"):
        services.pilot_start(pilot=pilot, by=bob)
    _sign(workgroup, carol)
    with pytest.raises(StateConflict, match="charters_incomplete|still open"):
        services.pilot_start(pilot=pilot, by=bob)
    workgroups.charter_confirm_assurance(workgroup=workgroup, by=bob)
    services.pilot_start(pilot=pilot, by=bob)
    assert pilot.status == "running"


def test_a_running_pilots_charter_is_settled(ready_pilot, workgroup, bob, carol):
    services.pilot_start(pilot=ready_pilot, by=bob)
    with pytest.raises(StateConflict):
        _sign(workgroup, carol)

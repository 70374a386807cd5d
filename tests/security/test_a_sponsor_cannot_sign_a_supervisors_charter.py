"""Someone other than the supervisor tries to sign the supervisor's charter for them: the
sponsor, a portfolio leader, an HR admin, a superuser. Only the supervisor's own login signs."""

import pytest
from django.contrib.auth.models import User

from core.errors import NotAllowed
from pilots import workgroups
from pilots.models import Charter
from tests.pilots.conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db
SIGN = {"open_minded": True, "risk_tolerant": True, "customer_commitment": True}


@pytest.fixture
def group(bob, carol):
    return make_workgroup(make_pilot(bob), bob, carol)


def test_nobody_but_the_supervisor_signs_through_the_service(group, alice, bob, hilda):
    root = User.objects.create_superuser("root", password="x-very-long-pw")
    for user in (bob, alice, hilda, root):
        with pytest.raises(NotAllowed):
            workgroups.charter_sign(workgroup=group, by=user, **SIGN)
    assert Charter.objects.get(workgroup=group).signed_at is None


def test_the_sponsor_cannot_sign_on_the_page(client, group, bob):
    client.force_login(bob)
    body = {"open_minded": "on", "risk_tolerant": "on", "customer_commitment": "on"}
    assert client.post(f"/pilots/charters/{group.pk}/", body).status_code == 403
    assert Charter.objects.get(workgroup=group).signed_at is None


def test_the_supervisor_signs_with_their_own_login(group, carol):
    charter = workgroups.charter_sign(workgroup=group, by=carol, **SIGN)
    assert charter.signed_by == carol

"""Weekly-split fixtures: bob sponsors a running pilot whose workgroups carol and dan
supervise (erin is a member of carol's group). Today is fixed at Thursday 12 Nov 2026."""

from datetime import date

import pytest

from tests.coaching.conftest import make_pilot, make_workgroup

THURSDAY = date(2026, 11, 12)
THIS_MONDAY = date(2026, 11, 9)
LAST_MONDAY = date(2026, 11, 2)


@pytest.fixture
def pilot(bob):
    return make_pilot(bob)


@pytest.fixture
def groups(pilot, carol, dan, erin):
    return [make_workgroup(pilot, carol, members=[erin]), make_workgroup(pilot, dan, name="Intake")]

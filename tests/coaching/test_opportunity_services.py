"""Opportunity services: found → addressed | dropped, never back, never twice."""

from decimal import Decimal

import pytest

from coaching import services
from coaching.models import OpportunityStatus
from core.errors import DomainError, NotAllowed, StateConflict

from .conftest import run_full_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(workgroup, carol):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    return services.opportunity_add(
        cycle=cycle,
        by=carol,
        title="Duplicate claim forms",
        estimated_value=Decimal("12000"),
        estimated_efficiency=Decimal("40"),
        efficiency_unit="hours",
    )


def test_an_open_cycle_finds_an_opportunity_with_estimates(found, workgroup):
    assert found.status == OpportunityStatus.FOUND
    assert (found.workgroup, found.found_in.number) == (workgroup, 1)
    assert found.estimated_efficiency == Decimal("40") and found.efficiency_unit == "hours"


def test_a_closed_cycle_finds_nothing(workgroup, carol):
    cycle = run_full_cycle(workgroup, carol)
    with pytest.raises(StateConflict):
        services.opportunity_add(cycle=cycle, by=carol, title="Late")


def test_addressing_records_realised_values_and_the_addressing_cycle(found, carol):
    addressed = services.opportunity_address(
        opportunity=found, by=carol, realised_value=Decimal("9000")
    )
    assert addressed.status == OpportunityStatus.ADDRESSED
    assert addressed.addressed_in == found.found_in and addressed.addressed_at


def test_addressing_needs_a_realised_figure(found, carol):
    with pytest.raises(DomainError):
        services.opportunity_address(opportunity=found, by=carol)


def test_dropping_needs_a_reason(found, carol):
    with pytest.raises(DomainError):
        services.opportunity_drop(opportunity=found, by=carol, reason="")
    dropped = services.opportunity_drop(opportunity=found, by=carol, reason="Out of scope")
    assert dropped.status == OpportunityStatus.DROPPED and dropped.dropped_at


def test_an_addressed_opportunity_cannot_be_dropped_or_addressed_again(found, carol):
    services.opportunity_address(opportunity=found, by=carol, realised_efficiency=Decimal("5"))
    with pytest.raises(StateConflict):
        services.opportunity_drop(opportunity=found, by=carol, reason="Changed my mind")
    with pytest.raises(StateConflict):
        services.opportunity_address(opportunity=found, by=carol, realised_value=Decimal("1"))


def test_a_dropped_opportunity_cannot_be_addressed(found, carol):
    services.opportunity_drop(opportunity=found, by=carol, reason="Too small")
    with pytest.raises(StateConflict):
        services.opportunity_address(opportunity=found, by=carol, realised_value=Decimal("1"))


def test_only_the_supervisor_moves_an_opportunity(found, dan, bob):
    for user in (dan, bob):
        with pytest.raises(NotAllowed):
            services.opportunity_drop(opportunity=found, by=user, reason="Not mine")


def test_the_addressing_cycle_must_be_of_the_same_workgroup(found, carol, dan, other_workgroup):
    theirs = services.cycle_start(workgroup=other_workgroup, by=dan)
    with pytest.raises(DomainError):
        services.opportunity_address(
            opportunity=found, by=carol, realised_value=Decimal("1"), cycle=theirs
        )


def test_negative_estimates_are_refused(workgroup, carol):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    with pytest.raises(DomainError):
        services.opportunity_add(cycle=cycle, by=carol, title="x", estimated_value=Decimal("-1"))

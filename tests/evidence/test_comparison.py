"""The comparison group: proposed before the start from the pre-period's level and slope,
frozen with the baselines at the start (the sponsor's choice or the proposal), re-selected
after the start only with a reason and keeping every version."""

import pytest

from core.errors import DomainError, NotAllowed, StateConflict
from evidence import services
from evidence.models import ComparisonSet, ComparisonSource
from evidence.selectors import comparison_proposal
from metrics.models import ImmutableRow
from pilots.models import Pilot
from tests.evidence.conftest import group, person, pilot_of, start


def test_the_proposal_matches_on_the_pre_period_and_leaves_out_the_pilots_own_groups(data, pool):
    proposal = comparison_proposal(data, start=data.planned_start)
    assert [m.key for m in proposal.metrics] == ["first_contact", "hours_freed"]
    assert {p.workgroup.pk for p in proposal.ranked} == {g.pk for g in pool}
    assert len(proposal.proposed) == 4  # as many as the pilot has groups
    assert all(p.distance is not None for p in proposal.ranked)
    level, slope = proposal.treated[0].features["hours_freed"]
    assert 20 < level < 60 and -1 < slope < 1


def test_a_group_sharing_a_person_with_the_pilot_is_no_comparison(data, pool, erin):
    pool[0].memberships.create(person=erin.person)
    proposal = comparison_proposal(data, start=data.planned_start)
    assert pool[0].pk not in {p.workgroup.pk for p in proposal.ranked}


def test_a_group_of_a_running_pilot_is_no_comparison(data, alice, org):
    other = pilot_of(alice, "Running elsewhere", status="running")
    running = group(other, "Busy team", person("BUSY", org))
    proposal = comparison_proposal(data, start=data.planned_start)
    assert running.pk not in {p.workgroup.pk for p in proposal.ranked}


def test_the_start_freezes_the_proposal_when_nobody_chose(started):
    frozen = ComparisonSet.objects.get(pilot=started)
    assert (frozen.version, frozen.source) == (1, ComparisonSource.PROPOSAL)
    assert frozen.members.count() == 4
    assert set(frozen.outcome_metrics.values_list("key", flat=True)) == {
        "first_contact",
        "hours_freed",
    }
    assert len(frozen.treated_profile) == 4


def test_the_start_freezes_the_sponsors_choice(data, pool, bob):
    services.comparison_choose(pilot=data, workgroups=pool[:3], by=bob)
    start(data, bob)
    frozen = ComparisonSet.objects.get(pilot=data)
    assert frozen.source == ComparisonSource.CHOICE
    assert set(frozen.members.values_list("workgroup_id", flat=True)) == {g.pk for g in pool[:3]}


def test_only_the_sponsor_chooses(data, pool, alice, carol):
    for user in (alice, carol):
        with pytest.raises(NotAllowed):
            services.comparison_choose(pilot=data, workgroups=pool[:3], by=user)


def test_a_pilots_own_group_cannot_be_chosen(data, bob):
    with pytest.raises(DomainError) as refused:
        services.comparison_choose(pilot=data, workgroups=[data.workgroups.first()], by=bob)
    assert refused.value.code == "invalid_comparison"


def test_after_the_start_the_choice_is_frozen(started, pool, bob):
    with pytest.raises(StateConflict):
        services.comparison_choose(pilot=started, workgroups=pool[:3], by=bob)


def test_a_frozen_set_can_never_be_changed_or_deleted(started):
    frozen = ComparisonSet.objects.get(pilot=started)
    frozen.reason = "quietly"
    with pytest.raises(ImmutableRow):
        frozen.save()
    with pytest.raises(ImmutableRow):
        ComparisonSet.objects.filter(pk=frozen.pk).update(reason="x")
    with pytest.raises(ImmutableRow):
        frozen.members.first().delete()
    with pytest.raises(ImmutableRow):
        frozen.delete()


def test_a_reselection_needs_a_reason_and_keeps_both_versions(started, pool, bob):
    with pytest.raises(DomainError):
        services.comparison_reselect(pilot=started, workgroups=pool[:5], reason=" ", by=bob)
    again = services.comparison_reselect(
        pilot=started, workgroups=pool[:5], reason="Team 5 merged with claims.", by=bob
    )
    assert (again.version, again.source) == (2, ComparisonSource.RESELECTION)
    versions = ComparisonSet.objects.filter(pilot=started).order_by("version")
    assert [v.members.count() for v in versions] == [4, 5]
    assert set(again.outcome_metrics.all()) == set(versions[0].outcome_metrics.all())
    assert again.pre_start == versions[0].pre_start


def test_a_reselection_before_the_start_is_refused(data, pool, bob):
    with pytest.raises(StateConflict):
        services.comparison_reselect(pilot=data, workgroups=pool, reason="why", by=bob)


def test_a_failed_start_freezes_nothing(data, bob, carol):
    charter = Pilot.objects.get(pk=data.pk).workgroups.first().charter
    charter.signed_at = None
    charter.save()
    with pytest.raises(StateConflict):
        start(data, bob)
    assert not ComparisonSet.objects.filter(pilot=data).exists()

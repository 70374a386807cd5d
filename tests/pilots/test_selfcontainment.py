"""The self-containment score and its warnings (formula in pilots/selfcontainment.py)."""

import pytest

from pilots.models import Workgroup
from pilots.selfcontainment import assess, assess_annotated, assess_pilot, assess_workgroup
from pilots.workgroups import competing_initiative_add, tie_add

pytestmark = pytest.mark.django_db


def test_a_group_without_ties_or_initiatives_is_fully_self_contained():
    result = assess(group_size=5, ties=[], shares=[])
    assert (result.score, result.warnings) == (100, [])


def test_one_daily_strong_tie_makes_a_group_of_five_low():
    result = assess(group_size=5, ties=[(4, 3)], shares=[])
    assert result.score == 45 and result.tie_load == 12
    assert "Low self-containment" in result.warnings[0]


def test_a_larger_group_absorbs_the_same_ties_better():
    small = assess(group_size=3, ties=[(3, 2)], shares=[]).score
    large = assess(group_size=9, ties=[(3, 2)], shares=[]).score
    assert small < large


def test_competing_initiatives_scale_the_score_by_the_time_they_leave():
    assert assess(group_size=4, ties=[], shares=[20, 5]).score == 75


def test_initiatives_over_thirty_percent_of_the_time_warn():
    result = assess(group_size=10, ties=[], shares=[20, 15])
    assert result.score == 65
    assert result.warnings == [
        "Competing initiatives take 35 % of the group's time (more than 30 %)."
    ]


def test_shares_above_one_hundred_percent_count_as_all_the_time():
    assert assess(group_size=4, ties=[], shares=[80, 70]).score == 0


def test_a_workgroup_is_scored_from_its_records(workgroup, bob):
    tie_add(workgroup=workgroup, by=bob, counterpart="Finance", frequency=3, strength=2)
    competing_initiative_add(workgroup=workgroup, by=bob, name="ERP", time_share_percent=10)
    # Group of 2 (carol + erin): load 6, pressure 6 / 10, time left 0.9 → 36.
    assert assess_workgroup(workgroup).score == 36


def test_sql_sums_score_a_group_as_its_records_do(workgroup, bob):
    # Two ties and two initiatives: a join would multiply the rows and the sums.
    tie_add(workgroup=workgroup, by=bob, counterpart="Finance", frequency=3, strength=2)
    tie_add(workgroup=workgroup, by=bob, counterpart="IT", frequency=1, strength=3)
    competing_initiative_add(workgroup=workgroup, by=bob, name="ERP", time_share_percent=10)
    competing_initiative_add(workgroup=workgroup, by=bob, name="Audit", time_share_percent=5)
    annotated = Workgroup.objects.with_self_containment_sums().get(pk=workgroup.pk)
    assert (annotated.member_total, annotated.tie_load, annotated.initiative_share) == (1, 9, 15)
    assert assess_annotated(annotated) == assess_workgroup(workgroup)


def test_a_pilot_stands_as_its_weakest_group():
    weak, strong = (
        assess(group_size=2, ties=[(4, 3)], shares=[]),
        assess(group_size=2, ties=[], shares=[]),
    )
    assert assess_pilot([strong, weak]) is weak
    assert assess_pilot([]) is None

"""Setting goals: the cascade rules, rights along the org-unit subtree, "contributes to"
links and the goals a pilot serves (goals.services, goals.permissions)."""

from decimal import Decimal

import pytest

from core.errors import DomainError, NotAllowed, StateConflict
from goals import services
from goals.models import Goal, GoalLevel
from tests.goals.conftest import make_goal, make_pilot

L = GoalLevel


@pytest.fixture
def org_goal(alice, units, metrics):
    return make_goal(alice, units["org"], metrics["csat"], title="Org", start="80", target="90")


def test_a_department_head_sets_goals_in_their_subtree_only(dan, heads, units, metrics, org_goal):
    goal = make_goal(
        dan,
        units["team_b"],
        metrics["csat"],
        level=L.TEAM,
        parent=org_goal,
        start="80",
        target="90",
    )
    assert goal.parent == org_goal
    with pytest.raises(NotAllowed):
        make_goal(
            dan, units["billing"], metrics["csat"], level=L.DEPARTMENT, start="80", target="90"
        )


def test_a_team_lead_cannot_set_goals_for_the_department_above(carol, heads, units, metrics):
    make_goal(carol, units["team_a"], metrics["csat"], level=L.TEAM, start="1", target="2")
    with pytest.raises(NotAllowed):
        make_goal(
            carol, units["claims"], metrics["csat"], level=L.DEPARTMENT, start="1", target="2"
        )


@pytest.mark.parametrize("who", ["alice", "hilda"])
def test_hr_admins_and_portfolio_leaders_set_goals_anywhere(who, request, units, metrics):
    user = request.getfixturevalue(who)
    assert make_goal(user, units["team_c"], metrics["csat"], level=L.TEAM, start="1", target="2")


@pytest.mark.parametrize("who", ["erin", "mallory", "bob"])
def test_people_who_head_nothing_set_no_goals(who, request, units, metrics):
    with pytest.raises(NotAllowed):
        make_goal(
            request.getfixturevalue(who), units["team_a"], metrics["csat"], start="1", target="2"
        )


def test_goals_cascade_downwards_never_up(alice, units, metrics, org_goal):
    team = make_goal(
        alice,
        units["team_a"],
        metrics["csat"],
        level=L.TEAM,
        parent=org_goal,
        start="80",
        target="90",
    )
    with pytest.raises(DomainError) as refused:
        make_goal(
            alice,
            units["team_a"],
            metrics["csat"],
            level=L.DEPARTMENT,
            parent=team,
            start="80",
            target="90",
        )
    assert "level" in refused.value.fields


def test_a_sub_goal_stays_inside_its_parents_unit_and_period(alice, units, metrics):
    claims = make_goal(
        alice, units["claims"], metrics["csat"], level=L.DEPARTMENT, start="80", target="90"
    )
    with pytest.raises(DomainError) as outside:
        make_goal(
            alice,
            units["team_c"],
            metrics["csat"],
            level=L.TEAM,
            parent=claims,
            start="80",
            target="90",
        )
    assert "org_unit" in outside.value.fields
    with pytest.raises(DomainError) as late:
        make_goal(
            alice,
            units["team_a"],
            metrics["csat"],
            level=L.TEAM,
            parent=claims,
            start="80",
            target="90",
            period=(claims.period_start, claims.period_end.replace(year=2027)),
        )
    assert "period_start" in late.value.fields


def test_the_target_must_lie_in_the_metrics_better_direction(alice, units, metrics):
    with pytest.raises(DomainError) as wrong_way:
        make_goal(alice, units["org"], metrics["handling"], start="10", target="12")
    assert "target_value" in wrong_way.value.fields
    assert make_goal(alice, units["org"], metrics["handling"], start="12", target="10")
    with pytest.raises(DomainError):
        make_goal(alice, units["org"], metrics["csat"], start="5", target="5")


def test_a_pilot_goal_names_its_pilot_and_defaults_to_its_unit(
    alice, bob, units, metrics, org_goal
):
    pilot = make_pilot(bob)
    pilot.org_unit = units["team_a"]
    pilot.save()
    goal = make_goal(alice, None, metrics["value"], level=L.PILOT, parent=org_goal, pilot=pilot)
    assert goal.org_unit == units["team_a"] and goal.pilot == pilot
    with pytest.raises(DomainError):
        make_goal(alice, units["org"], metrics["value"], level=L.PILOT)
    with pytest.raises(DomainError):
        make_goal(alice, units["org"], metrics["value"], level=L.TEAM, pilot=pilot)


def test_a_goal_cannot_move_under_its_own_sub_goal(alice, units, metrics, org_goal):
    child = make_goal(
        alice,
        units["claims"],
        metrics["csat"],
        level=L.DEPARTMENT,
        parent=org_goal,
        start="80",
        target="90",
    )
    with pytest.raises(DomainError) as refused:
        services.goal_update(goal=org_goal, by=alice, data={"parent": child})
    assert "parent" in refused.value.fields


def test_a_head_cannot_move_a_goal_out_of_their_subtree(dan, heads, units, metrics):
    goal = make_goal(dan, units["team_a"], metrics["csat"], level=L.TEAM, start="1", target="2")
    with pytest.raises(NotAllowed):
        services.goal_update(goal=goal, by=dan, data={"org_unit": units["team_c"]})
    goal.refresh_from_db()
    assert goal.org_unit == units["team_a"]


def test_a_goal_with_sub_goals_is_not_deleted(alice, units, metrics, org_goal):
    make_goal(
        alice,
        units["claims"],
        metrics["csat"],
        level=L.DEPARTMENT,
        parent=org_goal,
        start="80",
        target="90",
    )
    with pytest.raises(StateConflict):
        services.goal_delete(goal=org_goal, by=alice)
    assert Goal.objects.filter(pk=org_goal.pk).exists()


def test_contributions_reach_outside_the_branch_only(alice, units, metrics, org_goal):
    claims = make_goal(
        alice,
        units["claims"],
        metrics["csat"],
        level=L.DEPARTMENT,
        parent=org_goal,
        start="80",
        target="90",
    )
    billing = make_goal(
        alice,
        units["billing"],
        metrics["csat"],
        level=L.DEPARTMENT,
        parent=org_goal,
        start="80",
        target="90",
    )
    link = services.contribution_add(
        from_goal=claims, to_goal=billing, weight=Decimal(40), by=alice
    )
    assert link.weight == 40
    for inside in (org_goal, claims):
        with pytest.raises(DomainError):
            services.contribution_add(
                from_goal=claims, to_goal=inside, weight=Decimal(10), by=alice
            )
    with pytest.raises(DomainError):  # the other way round as well would be a loop
        services.contribution_add(from_goal=billing, to_goal=claims, weight=Decimal(10), by=alice)
    for weight in ("0", "-5", "100.01"):
        with pytest.raises(DomainError):
            services.contribution_add(
                from_goal=claims, to_goal=billing, weight=Decimal(weight), by=alice
            )


def test_only_a_manager_of_the_contributing_goal_links_it(dan, carol, heads, alice, units, metrics):
    team_a = make_goal(carol, units["team_a"], metrics["csat"], level=L.TEAM, start="1", target="2")
    billing = make_goal(
        alice, units["billing"], metrics["csat"], level=L.DEPARTMENT, start="1", target="2"
    )
    with pytest.raises(NotAllowed):
        services.contribution_add(from_goal=billing, to_goal=team_a, weight=Decimal(10), by=dan)
    assert services.contribution_add(from_goal=team_a, to_goal=billing, weight=Decimal(10), by=dan)


def test_only_the_sponsor_names_the_goals_a_pilot_serves(alice, bob, units, metrics, org_goal):
    pilot = make_pilot(bob)
    with pytest.raises(NotAllowed):
        services.pilot_goals_set(pilot=pilot, goals=[org_goal], by=alice)
    services.pilot_goals_set(pilot=pilot, goals=[org_goal], by=bob)
    assert list(pilot.goals.all()) == [org_goal]
    services.pilot_goals_set(pilot=pilot, goals=[], by=bob)
    assert not pilot.goals.exists()
    assert pilot.goal_links.model.history.count() == 2  # linked, then unlinked: both recorded


def test_a_goal_cannot_change_so_that_its_sub_goals_no_longer_fit(alice, units, metrics, org_goal):
    claims = make_goal(
        alice,
        units["claims"],
        metrics["csat"],
        level=L.DEPARTMENT,
        parent=org_goal,
        start="80",
        target="90",
    )
    make_goal(
        alice,
        units["team_a"],
        metrics["csat"],
        level=L.TEAM,
        parent=claims,
        start="80",
        target="90",
    )
    for change in (
        {"org_unit": units["billing"]},
        {"period_end": claims.period_end.replace(month=6, day=30)},
    ):
        with pytest.raises(DomainError):
            services.goal_update(goal=claims, by=alice, data=change)
    claims.refresh_from_db()
    assert claims.level == L.DEPARTMENT and claims.org_unit == units["claims"]

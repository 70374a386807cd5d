"""Goal progress: measured from the target metric's observations over the goal's subjects,
and rolled up from sub-goals and contributing goals (goals/progress.py states the rules)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from goals.models import GoalLevel
from goals.progress import progress_book
from goals.services import contribution_add
from metrics.models import Observation
from tests.goals.conftest import make_goal, make_pilot, make_workgroup, observe, person_in

L = GoalLevel
W1 = (date(2026, 3, 2), date(2026, 3, 8))
W2 = (date(2026, 3, 9), date(2026, 3, 15))


def test_a_mean_metric_counts_the_latest_period_averaged_over_the_units_people(
    alice, units, metrics
):
    claims = make_goal(
        alice, units["claims"], metrics["csat"], level=L.DEPARTMENT, start="80", target="90"
    )
    a, b, c = (
        person_in(units["team_a"], "A1"),
        person_in(units["team_b"], "B1"),
        person_in(units["team_c"], "C1"),
    )
    observe(metrics["csat"], "person", a.pk, *W1, 70)  # an older week: not counted
    observe(metrics["csat"], "person", a.pk, *W2, 84)
    observe(metrics["csat"], "person", b.pk, *W2, 86)
    observe(metrics["csat"], "person", c.pk, *W2, 10)  # Billing: another branch
    progress = progress_book()[claims.pk]
    assert progress.measurement.value == Decimal("85.0000")
    assert progress.measurement.observations == 2
    assert (progress.measurement.period_start, progress.measurement.period_end) == W2
    assert progress.measured == Decimal("50.0") and progress.source == "measured"


def test_a_sum_metric_counts_its_total_to_date(alice, bob, units, metrics):
    pilot = make_pilot(bob)
    pilot.org_unit = units["team_a"]
    pilot.save()
    goal = make_goal(
        alice, units["claims"], metrics["value"], level=L.DEPARTMENT, start="0", target="1000"
    )
    observe(metrics["value"], "pilot", pilot.pk, *W1, 150)
    observe(metrics["value"], "pilot", pilot.pk, *W2, 100)
    progress = progress_book()[goal.pk]
    assert progress.measurement.value == Decimal("250.0000")
    assert progress.measurement.period_start == W1[0] and progress.measured == Decimal("25.0")


def test_a_last_metric_adds_up_the_latest_levels_and_lower_can_be_better(alice, units, metrics):
    goal = make_goal(
        alice, units["claims"], metrics["backlog"], level=L.DEPARTMENT, start="100", target="50"
    )
    a, b = person_in(units["team_a"], "A1"), person_in(units["team_b"], "B1")
    observe(metrics["backlog"], "person", a.pk, *W2, 30)
    observe(metrics["backlog"], "person", b.pk, *W2, 45)
    progress = progress_book()[goal.pk]
    assert progress.measurement.value == Decimal("75.0000") and progress.measured == Decimal("50.0")


def test_superseded_and_out_of_period_observations_do_not_count(alice, units, metrics):
    goal = make_goal(
        alice,
        units["org"],
        metrics["csat"],
        start="80",
        target="90",
        period=(date(2026, 3, 1), date(2026, 3, 31)),
    )
    a = person_in(units["team_a"], "A1")
    old = observe(metrics["csat"], "person", a.pk, *W2, 60)
    Observation.objects.filter(pk=old.pk).update(is_current=False, superseded_at=timezone.now())
    observe(metrics["csat"], "person", a.pk, *W2, 88, source="correction")
    observe(metrics["csat"], "person", a.pk, date(2026, 4, 6), date(2026, 4, 12), 99)
    assert progress_book()[goal.pk].measurement.value == Decimal("88.0000")


def test_a_pilot_goal_reads_its_pilot_workgroups_and_people(
    alice, bob, carol, erin, units, metrics
):
    pilot = make_pilot(bob)
    group = make_workgroup(pilot, carol, members=[erin])
    goal = make_goal(
        alice, units["org"], metrics["value"], level=L.PILOT, pilot=pilot, start="0", target="100"
    )
    observe(metrics["value"], "pilot", pilot.pk, *W1, 10)
    observe(metrics["value"], "workgroup", group.pk, *W1, 20)
    observe(metrics["value"], "person", erin.person.pk, *W1, 30)
    observe(metrics["value"], "person", carol.person.pk, *W2, 5)
    observe(metrics["value"], "person", alice.person.pk, *W2, 1000)  # not in the pilot
    assert progress_book()[goal.pk].measurement.value == Decimal("65.0000")


def test_without_observations_a_goal_rolls_up_its_children_and_weighted_contributors(
    alice, units, metrics
):
    org = make_goal(alice, units["org"], metrics["csat"], start="80", target="90")
    claims = make_goal(
        alice,
        units["claims"],
        metrics["csat"],
        level=L.DEPARTMENT,
        parent=org,
        start="80",
        target="90",
    )
    billing = make_goal(
        alice,
        units["billing"],
        metrics["csat"],
        level=L.DEPARTMENT,
        parent=org,
        start="80",
        target="90",
    )
    team_c = make_goal(
        alice,
        units["team_c"],
        metrics["csat"],
        level=L.TEAM,
        parent=billing,
        start="80",
        target="90",
    )
    a, c = person_in(units["team_a"], "A1"), person_in(units["team_c"], "C1")
    observe(metrics["csat"], "person", a.pk, *W2, 86)  # claims and org measure 60 %
    contribution_add(from_goal=claims, to_goal=team_c, weight=Decimal(50), by=alice)
    book = progress_book()
    assert book[claims.pk].measured == Decimal("60.0")
    assert book[team_c.pk].measured is None  # C1 has no observation
    assert book[team_c.pk].rolled_up == Decimal("60.0") and book[team_c.pk].source == "rolled_up"
    assert book[billing.pk].percent == Decimal("60.0")
    observe(metrics["csat"], "person", c.pk, *W2, 81)  # team C now measures 10 %
    book = progress_book()
    assert book[billing.pk].rolled_up == Decimal("10.0")
    # The organisation's own measurement wins; its roll-up is the mean of its two children.
    assert book[org.pk].measured == Decimal("35.0") and book[org.pk].rolled_up == Decimal("35.0")


def test_a_goal_with_nothing_to_go_on_has_no_progress(alice, units, metrics):
    goal = make_goal(alice, units["org"], metrics["csat"], start="80", target="90")
    progress = progress_book()[goal.pk]
    assert progress.percent is None and progress.source is None and progress.bar == 0


def test_progress_beyond_the_target_is_kept_and_the_bar_is_full(alice, units, metrics):
    goal = make_goal(alice, units["org"], metrics["csat"], start="80", target="90")
    observe(metrics["csat"], "person", person_in(units["team_a"], "A1").pk, *W2, 95)
    progress = progress_book()[goal.pk]
    assert progress.measured == Decimal("150.0") and progress.bar == 100


def test_the_whole_book_costs_three_queries_whatever_the_tree(
    alice, units, metrics, django_assert_num_queries
):
    parent = make_goal(alice, units["org"], metrics["csat"], start="80", target="90")
    for n in range(12):
        make_goal(
            alice,
            units["claims"],
            metrics["csat"],
            level=L.DEPARTMENT,
            parent=parent,
            title=f"G{n}",
            start="80",
            target="90",
        )
    # 1 the goals with their metric, 2 the links, 3 the measurements (one recursive query)
    with django_assert_num_queries(3):
        book = progress_book()
        [book[pk].percent for pk in book.goals]

"""The rollups' numbers against hand-computed fixtures, and the from-scratch reference."""

from decimal import Decimal

import pytest

from coaching.models import OpportunityStatus
from pilots.models import Approach
from portfolio.models import PilotMonthRollup, WorkgroupMonthRollup
from portfolio.rollups import portfolio_totals_from_scratch, rollups_refresh
from portfolio.selectors import pilot_totals

from .conftest import make_cycle, make_opportunity, make_pilot, make_workgroup, observe

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(bob, carol, dan, erin, mallory, rate, metrics):
    """A pilot with one workgroup (carol, erin), and a second pilot nobody else touches.

    June: value 1000 EUR (pilot) + 20 h efficiency (workgroup) + 300 EUR cost saved (erin)
    July: addressed opportunity 400 EUR value, 10 h efficiency; a dropped one (999) ignored;
          a superseded observation (5000) ignored, its correction 700 counts; NPS ignored.
    """
    pilot = make_pilot(bob)
    workgroup = make_workgroup(pilot, carol, members=[erin])
    other = make_pilot(bob, name="Invoices", approach=Approach.JOB_REDESIGN)
    m = metrics
    observe(m["value_created"], "pilot", pilot.pk, "2026-06-08", "1000")
    observe(m["hours_saved"], "workgroup", workgroup.pk, "2026-06-15", "20")
    observe(m["cost_saved"], "person", erin.person.pk, "2026-06-22", "300")
    observe(m["cost_saved"], "person", erin.person.pk, "2026-05-04", "777")  # before start
    observe(m["cost_saved"], "person", mallory.person.pk, "2026-06-22", "888")  # not in pilot
    observe(m["nps"], "pilot", pilot.pk, "2026-06-08", "42")  # not money, not hours
    observe(m["errors"], "pilot", pilot.pk, "2026-06-08", "9")  # performance kind
    observe(m["value_created"], "pilot", pilot.pk, "2026-07-06", "5000", current=False)
    observe(m["value_created"], "pilot", pilot.pk, "2026-07-06", "700", source="fix")
    first = make_cycle(workgroup, number=1, started="2026-06-02", completed="2026-06-12")
    make_cycle(workgroup, number=2, started="2026-06-20")  # abandoned: not completed
    make_opportunity(
        first,
        status=OpportunityStatus.ADDRESSED,
        found="2026-06-05",
        addressed="2026-07-03",
        realised_value=Decimal("400"),
        realised_efficiency=Decimal("10"),
        efficiency_unit="hours",
    )
    make_opportunity(
        first,
        status=OpportunityStatus.DROPPED,
        found="2026-06-06",
        realised_value=Decimal("999"),
        realised_efficiency=Decimal("999"),
    )
    observe(m["hours_saved"], "pilot", other.pk, "2026-07-13", "4")
    return pilot, workgroup, other


def test_month_rollups_hold_each_months_value_and_efficiency_in_own_units(story):
    pilot, workgroup, _ = story
    rollups_refresh()
    june, july = PilotMonthRollup.objects.filter(pilot=pilot).order_by("month")
    assert (june.month.isoformat(), july.month.isoformat()) == ("2026-06-01", "2026-07-01")
    assert (june.value_money, june.value_hours) == (1000, 0)
    assert (june.efficiency_money, june.efficiency_hours) == (300, 20)
    assert (june.cycles_completed, june.opportunities_found, june.opportunities_addressed) == (
        1,
        2,
        0,
    )
    assert (july.value_money, july.efficiency_hours, july.opportunities_addressed) == (
        1100,
        10,
        1,
    )


def test_totals_convert_hours_at_the_loaded_rate_and_ignore_superseded_and_dropped(story):
    pilot, _, other = story
    rollups_refresh()
    totals = pilot_totals()
    # value: 1000 + 700 (correction, not 5000) + 400 (addressed; dropped 999 excluded)
    assert totals[pilot.pk].value == Decimal("2100.00")
    # efficiency: 300 EUR + (20 h + 10 h) × 50 EUR/h = 1800
    assert totals[pilot.pk].efficiency == Decimal("1800.00")
    assert totals[pilot.pk].efficiency_hours == Decimal("30.00")
    assert totals[other.pk].efficiency == Decimal("200.00")


def test_a_new_hourly_rate_shows_without_a_refresh(story, rate):
    pilot, _, _ = story
    rollups_refresh()
    rate.hourly_rate = Decimal("100")
    rate.save()
    assert pilot_totals()[pilot.pk].efficiency == Decimal("3300.00")


def test_the_from_scratch_sql_returns_the_dashboards_numbers(story):
    rollups_refresh()
    assert portfolio_totals_from_scratch() == pilot_totals()


def test_workgroup_rollups_count_cycles_and_opportunities_per_month(story):
    _, workgroup, _ = story
    rollups_refresh()
    rows = WorkgroupMonthRollup.objects.filter(workgroup=workgroup).order_by("month")
    assert [
        (r.cycles_completed, r.opportunities_found, r.opportunities_addressed) for r in rows
    ] == [
        (1, 2, 0),
        (0, 0, 1),
    ]


def test_a_second_refresh_rebuilds_rather_than_adds(story):
    rollups_refresh()
    rollups_refresh()
    assert PilotMonthRollup.objects.count() == 3

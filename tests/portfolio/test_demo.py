"""The portfolio demo step tells the story the dashboard is for, and is idempotent."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from demo import portfolio as portfolio_demo
from demo.steps import DemoContext
from metrics.models import MetricDefinition, Observation
from pilots.models import Approach, Pilot
from portfolio.models import OrganisationSettings
from portfolio.selectors import dashboard_rows

from .conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def started_pilots(alice, carol, dan):
    """Two of each approach started 8 months ago, and one of each started 12 weeks ago."""
    long_ago = timezone.now() - timedelta(weeks=35)
    recently = timezone.now() - timedelta(weeks=12)
    made = []
    for n, (approach, started) in enumerate(
        [
            (Approach.WORK_REDEFINITION, long_ago),
            (Approach.WORK_REDEFINITION, long_ago),
            (Approach.JOB_REDESIGN, long_ago),
            (Approach.JOB_REDESIGN, long_ago),
            (Approach.WORK_REDEFINITION, recently),
            (Approach.JOB_REDESIGN, recently),
        ]
    ):
        pilot = make_pilot(alice, name=f"Demo {n}", approach=approach, started_at=started)
        pilot.patience_horizon_weeks = 40 if started == long_ago else 26
        pilot.save(update_fields=["patience_horizon_weeks"])
        make_workgroup(pilot, carol if n % 2 else dan, name="Front office")
        made.append(pilot)
    return made


def run() -> DemoContext:
    ctx = DemoContext(seed=42, people=50, pilots=6, months=9)
    portfolio_demo.seed(ctx)
    return ctx


def test_the_demo_sets_the_rate_and_the_value_and_efficiency_metrics(started_pilots):
    run()
    settings = OrganisationSettings.load()
    assert (settings.hourly_rate, settings.currency) == (Decimal("65.00"), "EUR")
    units = dict(MetricDefinition.objects.values_list("key", "unit"))
    assert {k: units[k] for k in portfolio_demo.DEFINITIONS} == {
        "value_created": "EUR",
        "hours_saved": "hours",
        "cost_saved": "EUR",
    }


def test_redefinition_leads_on_value_redesign_on_efficiency_and_one_pilot_is_near_a_stop(
    started_pilots,
):
    run()
    rows = dashboard_rows(Pilot.objects.all())
    ahead_on_value = [r for r in rows if r.value > r.efficiency]
    ahead_on_efficiency = [r for r in rows if r.efficiency > r.value]
    assert any(r.pilot.approach == Approach.WORK_REDEFINITION for r in ahead_on_value)
    assert any(r.pilot.approach == Approach.JOB_REDESIGN for r in ahead_on_efficiency)
    assert sum("near_premature_stop" in r.flags for r in rows) == 1


def test_running_the_demo_twice_adds_nothing(started_pilots):
    run()
    count = Observation.objects.count()
    run()
    assert Observation.objects.count() == count

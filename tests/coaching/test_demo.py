"""The coaching demo: months of cycles with gaps, some groups overdue now, opportunities in
every status; idempotent and deterministic."""

import pytest
from django.db.models import Count, F, Sum
from django.utils import timezone

from coaching.models import Cycle, CycleAction, Opportunity, Reminder, Stage
from coaching.selectors import overdue_workgroups
from demo import coaching as coaching_demo
from demo.steps import DemoContext
from pilots.models import Approach, Pilot, PilotStatus

from .conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def started_pilots(bob, carol, dan):
    for n in range(8):
        pilot = make_pilot(bob, name=f"Pilot {n}", started_days_ago=240)
        if n % 2:
            Pilot.objects.filter(pk=pilot.pk).update(approach=Approach.JOB_REDESIGN)
        for g in range(2):
            make_workgroup(pilot, carol if g else dan, name=f"Group {g}")
    stopped = make_pilot(bob, name="Stopped", status=PilotStatus.STOPPED, started_days_ago=200)
    make_workgroup(stopped, carol, name="Old group")
    make_pilot(bob, name="Draft", status=PilotStatus.DRAFT)


def _ctx() -> DemoContext:
    return DemoContext(seed=42, people=20, pilots=9, months=9)


def _snapshot():
    return list(
        Cycle.objects.order_by("workgroup__pilot__name", "workgroup__name", "number").values_list(
            "workgroup__name", "number", "stage", "started_at", "confidence", "changes_next"
        )
    ) + list(
        Opportunity.objects.order_by("found_at", "title").values_list(
            "title", "status", "estimated_value", "realised_value"
        )
    )


def test_the_demo_logs_months_of_believable_cycles(started_pilots):
    coaching_demo.seed(_ctx())
    per_group = Cycle.objects.values("workgroup").annotate(n=Count("id"))
    assert min(row["n"] for row in per_group) >= 8
    assert Cycle.objects.filter(stage=Stage.ABANDONED).exists()
    assert not Cycle.objects.filter(workgroup__pilot__name="Stopped").open().exists()
    completed = Cycle.objects.filter(stage=Stage.COMPLETED)
    assert not completed.filter(changes_next="").exists()
    assert not completed.filter(confidence__isnull=True).exists()
    assert set(CycleAction.objects.values_list("kind", flat=True)) == {"task", "relationship"}
    later = Cycle.objects.filter(number__gt=1, previous__isnull=False).first()
    assert later.previous.stage == Stage.COMPLETED


def test_some_groups_are_overdue_now_and_have_a_reminder(started_pilots):
    coaching_demo.seed(_ctx())
    overdue = overdue_workgroups().count()
    assert 0 < overdue < 16
    assert Reminder.objects.filter(kind="overdue").count() == overdue


def test_opportunities_come_in_every_status_and_redefinition_finds_more(started_pilots):
    coaching_demo.seed(_ctx())
    assert set(Opportunity.objects.values_list("status", flat=True)) == {
        "found",
        "addressed",
        "dropped",
    }
    assert not Opportunity.objects.filter(found_at__gt=timezone.now()).exists()
    assert not Opportunity.objects.filter(addressed_at__lt=F("found_at")).exists()
    assert not Opportunity.objects.filter(dropped_at__lt=F("found_at")).exists()
    addressed = Opportunity.objects.filter(status="addressed")
    assert not addressed.filter(realised_value__isnull=True).exists()
    assert not addressed.filter(addressed_in__isnull=True).exists()
    by_approach = dict(
        Opportunity.objects.values_list("workgroup__pilot__approach").annotate(
            Sum("estimated_value")
        )
    )
    assert by_approach[Approach.WORK_REDEFINITION] > 2 * by_approach[Approach.JOB_REDESIGN]


def test_running_the_demo_twice_changes_nothing(started_pilots):
    coaching_demo.seed(_ctx())
    first = _snapshot()
    coaching_demo.seed(_ctx())
    assert _snapshot() == first


def test_the_same_seed_logs_the_same_history(started_pilots):
    coaching_demo.seed(_ctx())
    first = _snapshot()
    Reminder.objects.all().delete()
    Opportunity.objects.all().delete()
    Cycle.objects.all().delete()
    coaching_demo.seed(_ctx())
    assert _snapshot() == first

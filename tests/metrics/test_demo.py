"""The metrics demo step: definitions and months of history, idempotent, with dips."""

import pytest
from django.core.management import call_command

from metrics.models import MetricDefinition, Observation

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_definitions_and_history_and_a_second_run_adds_nothing():
    call_command("seed_demo", "--people", "60", "--pilots", "0", "--months", "3")
    kinds = set(MetricDefinition.objects.values_list("kind", flat=True))
    assert kinds == {"performance", "efficiency", "value"}
    count = Observation.objects.count()
    assert count > 0
    call_command("seed_demo", "--people", "60", "--pilots", "0", "--months", "3")
    assert Observation.objects.count() == count


def test_the_demo_supervisor_dips_below_their_earlier_level():
    from people.models import Person

    call_command("seed_demo", "--people", "60", "--pilots", "0", "--months", "6")
    supervisor = Person.objects.get(user__username="supervisor")
    values = list(
        Observation.objects.for_person(supervisor)
        .filter(metric__key="cases_closed")
        .order_by("period_start")
        .values_list("value", flat=True)
    )
    early, late = values[:8], values[-4:]
    assert sum(late) / len(late) < sum(early) / len(early)

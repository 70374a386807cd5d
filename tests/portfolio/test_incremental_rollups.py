"""The incremental refresh against the full rebuild: random writes, then both must agree.

Writes go through the ORM and raw SQL alike; the database triggers record what they made
stale (portfolio.triggers), so nothing here tells the refresh what changed. Runs on SQLite
and, in CI's second pass, on PostgreSQL (statement-level triggers there).
"""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coaching.models import Opportunity, OpportunityStatus
from metrics.models import Observation
from pilots.models import Workgroup, WorkgroupMember
from portfolio.models import OrganisationSettings, PilotMonthRollup, WorkgroupMonthRollup
from portfolio.rollups import rollups_rebuild, rollups_refresh
from portfolio.selectors import pilot_totals

from .conftest import START, at, make_cycle, make_opportunity, make_pilot, make_workgroup, observe

pytestmark = pytest.mark.django_db

MONTHS = ["2026-05-04", "2026-06-08", "2026-07-13", "2026-08-10", "2026-09-14"]


class _Rollback(Exception):
    pass


def snapshot():
    pilots = sorted(
        PilotMonthRollup.objects.values_list(
            "pilot_id",
            "month",
            "value_money",
            "value_hours",
            "efficiency_money",
            "efficiency_hours",
            "cycles_completed",
            "opportunities_found",
            "opportunities_addressed",
        )
    )
    groups = sorted(
        WorkgroupMonthRollup.objects.values_list(
            "workgroup_id",
            "pilot_id",
            "month",
            "cycles_completed",
            "opportunities_found",
            "opportunities_addressed",
        )
    )
    return pilots, groups


def rebuilt():
    """What a full rebuild gives now, without keeping it (the incremental state stays)."""
    try:
        with transaction.atomic():
            rollups_rebuild()
            result = snapshot()
            raise _Rollback
    except _Rollback:
        return result


@pytest.fixture
def organisation(bob, carol, dan, erin, mallory, rate, metrics):
    first = make_pilot(bob)
    second = make_pilot(bob, name="Invoices")
    groups = [
        make_workgroup(first, carol, members=[erin]),
        make_workgroup(second, dan, name="Payables", members=[mallory]),
    ]
    cycle = make_cycle(groups[0], number=1, started="2026-06-02", completed="2026-06-12")
    make_opportunity(cycle, status=OpportunityStatus.FOUND, found="2026-06-05")
    rollups_refresh()  # the first refresh builds everything
    people = [carol.person, dan.person, erin.person, mallory.person]
    return {"pilots": [first, second], "groups": groups, "people": people, "metrics": metrics}


def apply(op, organisation, state):
    """One write of the kind the product makes (or raw SQL does)."""
    kind, a, b, c = op
    pilots, groups = organisation["pilots"], organisation["groups"]
    people, metrics = organisation["people"], organisation["metrics"]
    metric = list(metrics.values())[a % len(metrics)]
    day = MONTHS[b % len(MONTHS)]
    if kind == "observe":
        subject = [("pilot", pilots[c % 2].pk), ("workgroup", groups[c % 2].pk)]
        subject += [("person", p.pk) for p in people]
        subject_type, subject_id = subject[c % len(subject)]
        state["n"] += 1
        observe(metric, subject_type, subject_id, day, str(10 + a * 7 + b), source=f"s{state['n']}")
    elif kind == "supersede":
        row = Observation.objects.current().order_by("id")
        found = row[a % max(1, row.count()) :].first() if row.exists() else None
        if found:
            Observation.objects.filter(pk=found.pk).update(
                is_current=False, superseded_at=timezone.now()
            )
    elif kind == "cycle":
        state["n"] += 1
        group = Workgroup.objects.get(pk=groups[a % 2].pk)
        make_cycle(group, number=100 + state["n"], started=day, completed=day if c % 2 else None)
    elif kind == "opportunity":
        cycle = Workgroup.objects.get(pk=groups[a % 2].pk).cycles.first()
        if cycle:
            make_opportunity(
                cycle,
                status=OpportunityStatus.ADDRESSED if c % 2 else OpportunityStatus.FOUND,
                found=day,
                addressed=MONTHS[(b + 1) % len(MONTHS)] if c % 2 else None,
                realised_value=Decimal(100 + a),
                realised_efficiency=Decimal(3 + b),
                efficiency_unit="hours" if a % 2 else "money",
            )
    elif kind == "address":
        found = Opportunity.objects.order_by("id")[a % max(1, Opportunity.objects.count()) :]
        found = found.first()
        if found:
            Opportunity.objects.filter(pk=found.pk).update(
                status=OpportunityStatus.ADDRESSED,
                addressed_at=at(day),
                realised_value=Decimal(50 + c),
            )
    elif kind == "pilot_dates":
        pilot = pilots[a % 2]
        started = START + timedelta(days=30 * (b % 4) - 40)
        ended = started + timedelta(days=60) if c % 2 else None
        type(pilot).objects.filter(pk=pilot.pk).update(started_at=started, ended_at=ended)
    elif kind == "member":
        group, person = groups[a % 2], people[b % len(people)]
        existing = WorkgroupMember.objects.filter(workgroup=group, person=person)
        if existing.exists():
            existing.delete()
        else:
            WorkgroupMember.objects.create(workgroup=group, person=person)
    elif kind == "move":
        Workgroup.objects.filter(pk=groups[a % 2].pk).update(pilot=pilots[b % 2])
    elif kind == "supervisor":
        Workgroup.objects.filter(pk=groups[a % 2].pk).update(supervisor=people[b % len(people)])
    elif kind == "unit":
        metric.unit = ["EUR", "hours", "points", "USD"][b % 4]
        metric.save()
    elif kind == "currency":
        settings_row = OrganisationSettings.load()
        settings_row.currency = ["EUR", "USD"][b % 2]
        settings_row.save()
    elif kind == "rate":
        settings_row = OrganisationSettings.load()
        settings_row.hourly_rate = Decimal(40 + b)
        settings_row.save()
    elif kind == "raw_observation":  # what bulk ingest does: SQL, no model save
        state["n"] += 1
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO metrics_observation (metric_id, subject_type, subject_id, "
                "period_start, period_end, value, source, recorded_at, is_current) "
                "VALUES (%s, 'workgroup', %s, %s, %s, %s, %s, %s, %s)",
                [
                    metric.pk,
                    groups[c % 2].pk,
                    day,
                    day,
                    Decimal(5 + a),
                    f"raw{state['n']}",
                    timezone.now(),
                    True,
                ],
            )
    elif kind == "refresh":
        rollups_refresh()


KINDS = [
    "observe",
    "observe",
    "raw_observation",
    "supersede",
    "cycle",
    "opportunity",
    "address",
    "pilot_dates",
    "member",
    "move",
    "supervisor",
    "unit",
    "currency",
    "rate",
    "refresh",
    "refresh",
    "refresh",
]
small = st.integers(min_value=0, max_value=5)
writes = st.lists(st.tuples(st.sampled_from(KINDS), small, small, small), max_size=12)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=writes)
def test_the_incremental_refresh_equals_a_full_rebuild_after_any_writes(organisation, ops):
    try:
        with transaction.atomic():  # each example starts from the same organisation
            state = {"n": 0}
            for op in ops:
                apply(op, organisation, state)
            rollups_refresh()
            assert snapshot() == rebuilt()
            raise _Rollback
    except _Rollback:
        pass


def test_a_refresh_recomputes_only_the_cells_a_write_touched(organisation, metrics):
    first, _ = organisation["pilots"]
    observe(metrics["value_created"], "pilot", first.pk, "2026-07-13", "250")
    observe(metrics["errors"], "pilot", first.pk, "2026-08-10", "3")  # not an outcome
    state = rollups_refresh()
    assert state.cells == 1
    assert rollups_refresh().cells == 0  # nothing new: nothing recomputed
    assert pilot_totals()[first.pk].value == Decimal("250.00")


def test_a_currency_change_rebuilds_everything(organisation, rate):
    rate.currency = "USD"
    rate.save()
    assert rollups_refresh().cells is None


def test_the_first_refresh_of_a_new_organisation_builds_everything(db):
    assert rollups_refresh().cells is None


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_during_a_refresh_is_not_lost(bob, carol, rate, metrics):
    """A writer that started before the refresh and commits after it: its change row was
    invisible to the refresh's claim, so the next refresh picks it up (no watermark that the
    slow writer's earlier timestamp or sequence number would have fallen behind)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: no concurrent write to race with")
    pilot = make_pilot(bob)
    rollups_refresh()
    written, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                observe(metrics["value_created"], "pilot", pilot.pk, "2026-07-13", "900")
                written.set()
                release.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert written.wait(10)
    rollups_refresh()  # the write is not committed yet
    assert pilot.pk not in pilot_totals()
    release.set()
    writer.join(10)
    rollups_refresh()
    assert pilot_totals()[pilot.pk].value == Decimal("900.00")


def test_a_member_leaving_takes_their_observations_out_of_the_pilot(organisation, metrics):
    first, _ = organisation["pilots"]
    erin = organisation["people"][2]
    observe(metrics["cost_saved"], "person", erin.pk, "2026-07-13", "300")
    rollups_refresh()
    assert pilot_totals()[first.pk].efficiency == Decimal("300.00")
    WorkgroupMember.objects.filter(person=erin).delete()
    rollups_refresh()
    assert first.pk not in pilot_totals() or pilot_totals()[first.pk].efficiency == 0
    assert snapshot() == rebuilt()

"""Below-baseline alerts: one row per supervisor, metric and period; e-mails batched a day."""

import datetime as dt

from django.core import mail

from metrics.baselines import baselines_freeze_for_start
from metrics.models import BelowBaselineAlert
from metrics.services import observations_upsert
from metrics.tasks import alerts_check_below_baseline

from .conftest import START, mark_running, start_of, weekly

BEFORE = START - dt.timedelta(weeks=4)


def setup_running(pilot, cases, carol, dan):
    for person in (carol.person, dan.person):
        weekly(cases, person, ["10"] * 4, BEFORE)
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    mark_running(pilot)


def test_a_week_below_baseline_raises_one_alert_and_tells_supervisor_and_sponsor(
    pilot, cases, carol, dan, django_capture_on_commit_callbacks
):
    setup_running(pilot, cases, carol, dan)
    weekly(cases, carol.person, ["7", "12"], START)
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail tasks, after commit
        assert alerts_check_below_baseline() == 2  # the supervisor's e-mail and the sponsor's
    alert = BelowBaselineAlert.objects.get()
    assert (alert.person, alert.period_start, alert.actual, alert.baseline) == (
        carol.person,
        START,
        7,
        10,
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.com", "carol@example.com"]
    assert alerts_check_below_baseline() == 0
    assert BelowBaselineAlert.objects.count() == 1 and len(mail.outbox) == 2


def test_ingest_queues_the_alert_check(
    pilot, cases, carol, dan, django_capture_on_commit_callbacks
):
    setup_running(pilot, cases, carol, dan)
    with django_capture_on_commit_callbacks(execute=True):
        observations_upsert(
            rows=[
                {
                    "metric": "cases_closed",
                    "subject_type": "person",
                    "subject_id": "P-DAN",
                    "period_start": str(START),
                    "period_end": str(START + dt.timedelta(days=6)),
                    "value": "2",
                    "source": "hris",
                }
            ]
        )
    assert BelowBaselineAlert.objects.get().person == dan.person
    assert BelowBaselineAlert.objects.get().emailed_at is not None


def test_weeks_before_the_start_raise_no_alert(pilot, cases, carol, dan):
    setup_running(pilot, cases, carol, dan)
    weekly(cases, carol.person, ["1"], BEFORE - dt.timedelta(weeks=2))
    assert alerts_check_below_baseline() == 0

"""Reminders people act on: a group past its cadence gets its reminder the same working day
(the scheduler need not have run at 07:00), the e-mail says what to do next with a link, and
the organisation can turn each kind off."""

import datetime as dt

import pytest
from celery import current_app
from celery.schedules import crontab
from django.core import mail

from coaching import tasks
from coaching.models import Cycle, Reminder, Stage
from config.celery import app
from portfolio.models import OrganisationSettings

from .conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_task(django_capture_on_commit_callbacks):
    conf = current_app.conf
    was, conf.task_always_eager = conf.task_always_eager, True

    def run(task):
        with django_capture_on_commit_callbacks(execute=True):
            task.apply()

    yield run
    conf.task_always_eager = was


@pytest.fixture
def overdue_group(bob, carol):
    return make_workgroup(make_pilot(bob, started_days_ago=30), carol)


def test_a_group_past_its_cadence_is_reminded_the_same_working_day(overdue_group, run_task):
    """Beat runs the sweep every quarter of an hour in working hours: a `make run` started
    at 14:10 reminds by 14:15, and the unique row keeps it to one e-mail a day."""
    schedule = app.conf.beat_schedule["coaching-overdue-reminders"]["schedule"]
    assert isinstance(schedule, crontab)
    assert set(range(7, 19)) <= schedule.hour and {0, 15, 30, 45} <= schedule.minute
    assert not {0, 1, 2, 3, 4, 5, 22, 23} & schedule.hour  # nobody is mailed at night
    for _ in range(3):
        run_task(tasks.raise_overdue_reminders)
    assert Reminder.objects.count() == 1 and len(mail.outbox) == 1


def test_the_reminder_says_start_a_cycle_with_its_link(overdue_group, run_task):
    run_task(tasks.raise_overdue_reminders)
    (email,) = mail.outbox
    link = f"http://127.0.0.1:8000/coaching/workgroups/{overdue_group.pk}/start/"
    assert f"Next: start a cycle: {link}" in email.body


def test_with_a_cycle_open_it_says_carry_on_with_its_link(overdue_group, run_task):
    cycle = Cycle.objects.create(
        workgroup=overdue_group,
        number=1,
        stage=Stage.ACTION,
        started_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
    )
    run_task(tasks.raise_overdue_reminders)
    (email,) = mail.outbox
    link = f"http://127.0.0.1:8000/coaching/cycles/{cycle.pk}/"
    assert f"Next: carry on cycle 1, now at “Take action”: {link}" in email.body


def test_the_organisation_can_turn_cycle_reminders_off(overdue_group, run_task):
    org = OrganisationSettings.load()
    org.email_cycle_reminders = False
    org.save()
    run_task(tasks.raise_overdue_reminders)
    assert mail.outbox == []
    assert Reminder.objects.count() == 1  # still listed in the app

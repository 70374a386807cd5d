"""Reminders: one per overdue workgroup per day, one email even if the task runs twice,
and one digest per sponsor per week."""

import time

import pytest
from celery import current_app
from django.core import mail
from django.db import IntegrityError, transaction

from coaching import reminders, tasks
from coaching.models import Reminder, ReminderKind

from .conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_task(django_capture_on_commit_callbacks):
    """Run a beat task as the worker would, with the emails it queues run inline after
    commit, so mail.outbox sees them even when a broker is configured (the round trip
    through a real worker is the services test below)."""
    conf = current_app.conf
    was = conf.task_always_eager
    conf.task_always_eager = True

    def run(task):
        with django_capture_on_commit_callbacks(execute=True):
            task.apply()

    yield run
    conf.task_always_eager = was


@pytest.fixture
def overdue_group(bob, carol):
    return make_workgroup(make_pilot(bob, started_days_ago=30), carol)


def test_the_daily_task_run_twice_sends_one_email(overdue_group, carol, run_task):
    run_task(tasks.raise_overdue_reminders)
    run_task(tasks.raise_overdue_reminders)
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.recipient, reminder.workgroup) == (
        ReminderKind.OVERDUE,
        carol.person,
        overdue_group,
    )
    assert reminder.emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [carol.email]
    assert "30 days" in mail.outbox[0].body


def test_a_group_on_cadence_gets_no_reminder(bob, carol, run_task):
    make_workgroup(make_pilot(bob, started_days_ago=14), carol)
    run_task(tasks.raise_overdue_reminders)
    assert not Reminder.objects.exists() and not mail.outbox


def test_an_emailed_reminder_is_not_emailed_again(overdue_group):
    """Sending is called directly here, so no broker is involved."""
    (reminder_id,) = reminders.reminders_raise_overdue()
    assert reminders.reminder_email(reminder_id=reminder_id) is True
    assert reminders.reminder_email(reminder_id=reminder_id) is False
    assert len(mail.outbox) == 1


def test_the_sponsor_gets_one_digest_a_week(overdue_group, bob, run_task):
    run_task(tasks.raise_sponsor_digests)
    run_task(tasks.raise_sponsor_digests)
    digest = Reminder.objects.get(kind=ReminderKind.DIGEST)
    assert digest.recipient == bob.person and digest.workgroup is None
    assert "overdue groups: Triage" in digest.message
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [bob.email]


def test_the_database_refuses_a_second_digest_in_the_same_week(overdue_group, bob):
    reminders.digests_raise()
    digest = Reminder.objects.get(kind=ReminderKind.DIGEST)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            kind=ReminderKind.DIGEST, recipient=bob.person, for_date=digest.for_date, message="x"
        )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_worker_emails_an_overdue_reminder_once_when_the_task_runs_twice(overdue_group):
    tasks.raise_overdue_reminders.apply()
    tasks.raise_overdue_reminders.apply()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if Reminder.objects.filter(emailed_at__isnull=False).exists():
            break
        time.sleep(0.2)
    reminder = Reminder.objects.get()
    assert reminder.emailed_at is not None, "the worker did not email within 30 s"
    # The second run found the reminder already filed and could not claim it again.
    assert reminders.reminder_email(reminder_id=reminder.pk) is False

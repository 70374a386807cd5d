"""Recording the weekly split: keyed by Monday, one per person and week, open until the
following week ends, supervisors only, and the Friday reminder (weekly.services)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError

from config.celery import app as celery_app
from core.errors import DomainError, NotAllowed, StateConflict
from core.models import OutboxTask
from tests.weekly.conftest import LAST_MONDAY, THIS_MONDAY, THURSDAY
from weekly import services, tasks
from weekly.models import SplitReminder, WeeklySplit


def record(user, week, share, today=THURSDAY, **extra):
    return services.split_record(
        person=user.person, week=week, strategic_percent=share, by=user, today=today, **extra
    )


def test_a_supervisor_records_the_week_and_then_changes_it(carol, groups):
    entry, created = record(carol, THIS_MONDAY, 25, note="Quarter-end reporting")
    assert created and entry.detail_percent == 75 and entry.note == "Quarter-end reporting"
    again, created = record(carol, THIS_MONDAY, 50)
    assert not created and again.pk == entry.pk and again.strategic_percent == 50
    assert WeeklySplit.objects.count() == 1
    assert entry.history.count() == 2  # the change is on record


def test_the_database_holds_one_entry_per_person_and_week(carol, groups):
    record(carol, THIS_MONDAY, 25)
    with pytest.raises(IntegrityError):
        WeeklySplit.objects.create(person=carol.person, week=THIS_MONDAY, strategic_percent=5)


def test_a_week_is_given_by_its_monday(carol, groups):
    with pytest.raises(DomainError) as refused:
        record(carol, THURSDAY, 25)
    assert "week" in refused.value.fields and "9 Nov 2026" in refused.value.message


def test_last_week_stays_open_until_this_sunday_and_closes_after(carol, groups):
    sunday = THIS_MONDAY + timedelta(days=6)
    assert record(carol, LAST_MONDAY, 40, today=sunday)[0].strategic_percent == 40
    with pytest.raises(StateConflict) as closed:
        record(carol, LAST_MONDAY, 60, today=sunday + timedelta(days=1))
    assert closed.value.code == "week_closed"
    assert "until the end of the following week (Sun 15 Nov 2026)" in closed.value.message
    assert WeeklySplit.objects.get().strategic_percent == 40


def test_a_week_that_has_not_started_is_refused(carol, groups):
    with pytest.raises(DomainError):
        record(carol, THIS_MONDAY + timedelta(weeks=1), 25)


@pytest.mark.parametrize("share", [-1, 101, 12.5, "50", True, None])
def test_the_share_is_a_whole_number_from_0_to_100(carol, groups, share):
    with pytest.raises(DomainError) as refused:
        record(carol, THIS_MONDAY, share)
    assert "strategic_percent" in refused.value.fields


def test_hostile_notes_are_refused_or_kept_as_written(carol, groups):
    with pytest.raises(DomainError):
        record(carol, THIS_MONDAY, 25, note="x" * 1001)
    with pytest.raises(DomainError):
        record(carol, THIS_MONDAY, 25, note="nul \x00 byte")
    entry, _ = record(carol, THIS_MONDAY, 25, note="  Ünïcödé 🚀 <script>alert(1)</script>  ")
    assert entry.note == "Ünïcödé 🚀 <script>alert(1)</script>"


def test_only_supervisors_record_and_only_their_own_week(carol, dan, erin, bob, groups):
    with pytest.raises(NotAllowed):
        services.split_record(
            person=carol.person, week=THIS_MONDAY, strategic_percent=5, by=dan, today=THURSDAY
        )
    for outsider in (erin, bob):
        with pytest.raises(NotAllowed):
            record(outsider, THIS_MONDAY, 5)
    carol.person.active = False
    carol.person.save()
    with pytest.raises(NotAllowed):
        record(carol, THIS_MONDAY, 5)


def test_friday_reminders_go_once_to_supervisors_who_have_not_recorded(carol, dan, groups):
    record(dan, THIS_MONDAY, 30)
    friday = THURSDAY + timedelta(days=1)
    pending = services.reminders_raise(today=friday)
    assert [SplitReminder.objects.get(pk=pk).person for pk in pending] == [carol.person]
    assert services.reminders_raise(today=friday) == pending  # no second reminder filed
    assert services.reminder_email(reminder_id=pending[0]) is True
    assert services.reminder_email(reminder_id=pending[0]) is False
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [carol.person.email]
    assert "/weekly/" in mail.outbox[0].body and "9 Nov 2026" in mail.outbox[0].body


def test_a_week_recorded_after_the_reminder_was_filed_gets_no_email(carol, groups):
    pending = services.reminders_raise(today=THURSDAY)
    record(carol, THIS_MONDAY, 30)
    assert services.reminder_email(reminder_id=pending[0]) is False and not mail.outbox


def test_the_friday_task_queues_one_email_per_reminder_through_the_outbox(
    carol, dan, groups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.raise_split_reminders.apply().get() == 2
    assert len(mail.outbox) == 2
    assert OutboxTask.objects.filter(task_name="weekly.tasks.email_split_reminder").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.raise_split_reminders.apply().get() == 0
    assert len(mail.outbox) == 2


def test_the_beat_schedule_runs_the_reminder_on_friday_afternoon():
    entry = celery_app.conf.beat_schedule["weekly-split-reminders"]
    assert entry["task"] == "weekly.tasks.raise_split_reminders"
    assert entry["schedule"].day_of_week == {5} and entry["schedule"].hour == {14}

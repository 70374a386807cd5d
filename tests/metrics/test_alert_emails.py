"""Below-baseline e-mails people will not filter away: one a day per supervisor listing every
metric and week, one a day per sponsor per pilot, never lost to a CR/LF in a name or a mail
server's hiccup, and off when the organisation says so."""

import datetime as dt
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from metrics.alerts import alert_email_send, alert_emails_file
from metrics.models import AlertEmail, BelowBaselineAlert
from metrics.tasks import alerts_check_below_baseline, email_below_baseline
from pilots.models import Pilot
from portfolio.models import OrganisationSettings

from .conftest import START, weekly
from .test_alerts import setup_running

pytestmark = pytest.mark.django_db


@pytest.fixture
def check(django_capture_on_commit_callbacks):
    """The daily check as the worker runs it: its e-mail tasks go out once it commits."""

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return alerts_check_below_baseline()

    return run


class DropsTheFirstConnection(EmailBackend):
    """A mail server that hangs up once, then accepts."""

    failures = 0

    def send_messages(self, messages):
        if DropsTheFirstConnection.failures == 0:
            DropsTheFirstConnection.failures += 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_many_weeks_below_baseline_are_one_email_per_person_and_one_per_sponsor_a_day(
    pilot, cases, carol, dan, check
):
    setup_running(pilot, cases, carol, dan)
    weekly(cases, carol.person, ["7", "6", "5", "4", "3"], START)
    weekly(cases, dan.person, ["1", "2"], START)
    assert check() == 3
    assert BelowBaselineAlert.objects.count() == 7  # the rows stay one per person × week
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["bob@example.com", "carol@example.com", "dan@example.com"]
    carols = next(m for m in mail.outbox if m.to == ["carol@example.com"])
    assert "5 weeks below your baseline" in carols.subject
    assert carols.body.count("week of") == 5 and "/metrics/" in carols.body
    sponsors = next(m for m in mail.outbox if m.to == ["bob@example.com"])
    assert sponsors.body.count("week of") == 7 and f"/pilots/{pilot.pk}/" in sponsors.body


def test_a_second_import_the_same_day_sends_nothing_more_and_waits_for_tomorrow(
    pilot, cases, carol, dan, check
):
    setup_running(pilot, cases, carol, dan)
    weekly(cases, carol.person, ["7"], START)
    check()
    weekly(cases, carol.person, ["6"], START + dt.timedelta(weeks=1))
    assert check() == 0
    assert len(mail.outbox) == 2
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    for email_id in alert_emails_file(today=tomorrow):
        alert_email_send(email_id=email_id)
    assert len(mail.outbox) == 4
    assert [m.body.count("week of") for m in mail.outbox[-2:]] == [1, 1]  # only the new week


def test_a_line_break_in_a_pilot_name_cannot_lose_the_email(pilot, cases, carol, dan, check):
    Pilot.objects.filter(pk=pilot.pk).update(name="Claims\r\nBcc: everyone@example.com")
    setup_running(pilot, cases, carol, dan)
    weekly(cases, carol.person, ["7"], START)
    check()
    sponsors = next(m for m in mail.outbox if m.to == ["bob@example.com"])
    assert "\n" not in sponsors.subject and "\r" not in sponsors.subject
    assert sponsors.subject.startswith("Claims Bcc: everyone@example.com:")
    assert AlertEmail.objects.filter(emailed_at__isnull=True).count() == 0


def test_a_mail_server_that_hangs_up_rolls_the_claim_back_and_the_retry_sends(
    pilot, cases, carol, dan, check, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.DropsTheFirstConnection"
    DropsTheFirstConnection.failures = 0
    setup_running(pilot, cases, carol, dan)
    weekly(cases, carol.person, ["7"], START)
    BelowBaselineAlert.objects.all().delete()
    from metrics.alerts import alerts_create_below_baseline

    alerts_create_below_baseline()
    first = alert_emails_file()[0]
    with pytest.raises(SMTPServerDisconnected):
        alert_email_send(email_id=first)
    assert AlertEmail.objects.get(pk=first).emailed_at is None  # not lost: still to send
    assert alert_email_send(email_id=first) is True
    assert len(mail.outbox) == 1
    # The task retries exactly these errors, with backoff: the promise is kept by Celery.
    assert any(issubclass(SMTPServerDisconnected, k) for k in email_below_baseline.autoretry_for)
    assert email_below_baseline.retry_backoff and email_below_baseline.max_retries == 5


def test_the_organisation_can_turn_below_baseline_emails_off(pilot, cases, carol, dan, check):
    org = OrganisationSettings.load()
    org.email_below_baseline = False
    org.save()
    setup_running(pilot, cases, carol, dan)
    weekly(cases, carol.person, ["7"], START)
    check()
    assert mail.outbox == []
    assert BelowBaselineAlert.objects.count() == 1  # still shown in the app

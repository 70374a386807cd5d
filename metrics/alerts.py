"""Below-baseline alerts: a supervisor's weekly actual worse than their frozen baseline while
protected. One row per pilot, person, metric and period (the database keeps it unique); the
e-mails are batched: at most one a day to each supervisor listing their metrics and weeks,
and one a day to each sponsor per pilot (`AlertEmail`), each sent by its own task."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.emails import email_send
from metrics.models import AlertAudience, AlertEmail, Baseline, BelowBaselineAlert, Observation
from metrics.protection import is_worse, overlaps, protection_window


@transaction.atomic
def alerts_create_below_baseline() -> int:
    """Record an alert for every current observation worse than the baseline in force during
    protection. Idempotent: existing alerts are left alone. Returns how many rows are new.
    Three queries whatever the number of supervisors."""
    baselines = list(
        Baseline.objects.in_force()
        .filter(pilot__started_at__isnull=False, value__isnull=False)
        .select_related("pilot", "metric")
    )
    if not baselines:
        return 0
    by_key: dict[tuple[int, int], list[Baseline]] = {}
    for baseline in baselines:
        by_key.setdefault((baseline.person_id, baseline.metric_id), []).append(baseline)
    earliest = min(timezone.localdate(b.pilot.started_at) for b in baselines)
    observations = (
        Observation.objects.current()
        .persons()
        .filter(
            subject_id__in={b.person_id for b in baselines},
            metric_id__in={b.metric_id for b in baselines},
            period_end__gte=earliest,
        )
    )
    alerts = []
    for obs in observations.only("subject_id", "metric_id", "period_start", "period_end", "value"):
        baseline = _covering(by_key.get((obs.subject_id, obs.metric_id), []), obs)
        if baseline and is_worse(baseline.metric_direction, obs.value, baseline.value):
            alerts.append(
                BelowBaselineAlert(
                    pilot_id=baseline.pilot_id,
                    person_id=obs.subject_id,
                    metric_id=obs.metric_id,
                    period_start=obs.period_start,
                    period_end=obs.period_end,
                    actual=obs.value,
                    baseline=baseline.value,
                )
            )
    before = BelowBaselineAlert.objects.count()
    BelowBaselineAlert.objects.bulk_create(alerts, ignore_conflicts=True, batch_size=1000)
    return BelowBaselineAlert.objects.count() - before


def _covering(candidates: list[Baseline], obs: Observation) -> Baseline | None:
    covering = [
        b
        for b in candidates
        if overlaps(protection_window(b.pilot), obs.period_start, obs.period_end)
    ]
    return max(covering, key=lambda b: b.pilot.started_at, default=None)


@transaction.atomic
def alert_emails_file(*, today: date | None = None) -> list[int]:
    """Put every alert not yet listed in an e-mail into today's e-mail of its supervisor and of
    its pilot's sponsor; return the ids of today's e-mails not sent yet. An alert that comes
    after today's e-mail went out waits for tomorrow's: one e-mail a day, never one a row."""
    today = today or timezone.localdate()
    unlisted = BelowBaselineAlert.objects.filter(
        Q(supervisor_email__isnull=True) | Q(sponsor_email__isnull=True)
    )
    supervisors = set(unlisted.filter(supervisor_email__isnull=True).values_list("person_id"))
    sponsors = set(
        unlisted.filter(sponsor_email__isnull=True).values_list("pilot__sponsor_id", "pilot_id")
    )
    for (person_id,) in supervisors:
        email = _open_email(AlertAudience.SUPERVISOR, person_id, None, today)
        if email:
            unlisted.filter(person_id=person_id, supervisor_email__isnull=True).update(
                supervisor_email=email
            )
    for sponsor_id, pilot_id in sponsors:
        email = _open_email(AlertAudience.SPONSOR, sponsor_id, pilot_id, today)
        if email:
            unlisted.filter(pilot_id=pilot_id, sponsor_email__isnull=True).update(
                sponsor_email=email
            )
    return list(
        AlertEmail.objects.filter(for_date=today, emailed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _open_email(audience, recipient_id, pilot_id, today) -> AlertEmail | None:
    """Today's e-mail for this recipient (and pilot), locked; None once it has been sent."""
    email, _ = AlertEmail.objects.get_or_create(
        audience=audience, recipient_id=recipient_id, pilot_id=pilot_id, for_date=today
    )
    email = AlertEmail.objects.select_for_update().get(pk=email.pk)
    return None if email.emailed_at else email


@transaction.atomic
def alert_email_send(*, email_id: int) -> bool:
    """Send one batched e-mail at most once: the row is claimed inside this transaction, so a
    failed send rolls the claim back and the task's retry may send it; a second run (or a
    redelivered task) sends nothing. Turned off for the organisation: claimed, not sent."""
    from portfolio.models import OrganisationSettings

    claimed = AlertEmail.objects.filter(pk=email_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    email = AlertEmail.objects.select_related("recipient", "pilot").get(pk=email_id)
    listed = "supervisor_email" if email.audience == AlertAudience.SUPERVISOR else "sponsor_email"
    alerts = list(
        BelowBaselineAlert.objects.filter(**{listed: email})
        .select_related("metric", "pilot", "person")
        .order_by("pilot__name", "person__full_name", "metric__name", "period_start")
    )
    if not alerts or not OrganisationSettings.load().email_below_baseline:
        return False
    BelowBaselineAlert.objects.filter(pk__in=[a.pk for a in alerts], emailed_at=None).update(
        emailed_at=email.emailed_at
    )
    subject, body = _compose(email, alerts)
    return email_send(subject=subject, body=body, to=[email.recipient.email])


def _compose(email: AlertEmail, alerts: list[BelowBaselineAlert]) -> tuple[str, str]:
    weeks = len(alerts)
    lines = [
        f"- {a.person.full_name}, {a.metric.name}, week of {a.period_start:%d %b %Y}: "
        f"{a.actual:.2f} against the frozen baseline of {a.baseline:.2f} ({a.pilot.name})"
        for a in alerts
    ]
    plural = "s" if weeks > 1 else ""
    if email.audience == AlertAudience.SUPERVISOR:
        subject = f"{weeks} week{plural} below your baseline: HR reads your baseline"
        intro = "These weeks were below your frozen baseline during your pilot's protection:"
    else:
        subject = f"{email.pilot.name}: {weeks} supervisor week{plural} below baseline"
        intro = f"In {email.pilot.name}, these supervisors' weeks were below their baseline:"
    if email.audience == AlertAudience.SUPERVISOR:
        link = "Your metrics: " + _site_url(reverse("metrics:mine"))
    else:
        link = "The pilot: " + _site_url(reverse("pilots:detail", args=[email.pilot_id]))
    reassurance = (
        "HR reads the baseline for these periods: the pilot does not count against the supervisor."
    )
    body = "\n".join([intro, "", *lines, "", reassurance, link])
    return subject, body


def _site_url(path: str) -> str:
    from django.conf import settings

    return settings.REDEFINE_SITE_URL.rstrip("/") + path

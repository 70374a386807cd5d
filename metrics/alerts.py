"""Below-baseline alerts: a supervisor's weekly actual worse than their frozen baseline while
protected. One row per pilot, person, metric and period (the database keeps it unique), and
one email per row to the supervisor and the sponsor."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from metrics.models import Baseline, BelowBaselineAlert, Observation
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


def alert_email(*, alert_id: int) -> bool:
    """Email the supervisor and the sponsor about one alert, once: the row is claimed by
    setting emailed_at first, so a second run (or a redelivered task) sends nothing."""
    claimed = BelowBaselineAlert.objects.filter(pk=alert_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    alert = BelowBaselineAlert.objects.select_related("person", "pilot__sponsor", "metric").get(
        pk=alert_id
    )
    recipients = [e for e in (alert.person.email, alert.pilot.sponsor.email) if e]
    if recipients:
        send_mail(
            subject=f"{alert.metric.name} below baseline during {alert.pilot.name}",
            message=(
                f"{alert.person.full_name}'s {alert.metric.name} for {alert.period_start} – "
                f"{alert.period_end} was {alert.actual:.2f}, below the frozen baseline of "
                f"{alert.baseline:.2f}. HR reads the baseline for this period: the pilot does "
                "not count against the supervisor."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    return True

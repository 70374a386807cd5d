"""Background work of the metrics app: below-baseline alerts and CSV imports."""

from celery import shared_task

from core.tasks import TASK_OPTIONS
from metrics.alerts import alert_email, alerts_create_below_baseline
from metrics.imports import import_job_process
from metrics.models import BelowBaselineAlert


@shared_task(**TASK_OPTIONS)
def alerts_check_below_baseline() -> int:
    """Create missing alerts, then email every alert not yet emailed (each claimed first)."""
    alerts_create_below_baseline()
    pending = BelowBaselineAlert.objects.filter(emailed_at__isnull=True).values_list(
        "pk", flat=True
    )
    return sum(alert_email(alert_id=pk) for pk in list(pending))


@shared_task(**TASK_OPTIONS)
def import_process(job_id: int) -> None:
    """Process one uploaded CSV (the job is claimed first, so a second run does nothing)."""
    import_job_process(job_id=job_id)

"""Background work of the metrics app: below-baseline alerts and CSV imports."""

from celery import shared_task

from core.outbox import enqueue
from core.tasks import EMAIL_RETRY, TASK_OPTIONS
from metrics.alerts import alert_email_send, alert_emails_file, alerts_create_below_baseline
from metrics.imports import import_job_process


@shared_task(**TASK_OPTIONS)
def alerts_check_below_baseline() -> int:
    """Create missing alerts, put them in today's batched e-mails, and queue one task per
    e-mail not sent yet (each claims its row, so a second run sends nothing twice)."""
    alerts_create_below_baseline()
    pending = alert_emails_file()
    for email_id in pending:
        enqueue("metrics.tasks.email_below_baseline", email_id=email_id)
    return len(pending)


@shared_task(**TASK_OPTIONS, **EMAIL_RETRY)
def email_below_baseline(email_id: int) -> bool:
    return alert_email_send(email_id=email_id)


@shared_task(**TASK_OPTIONS)
def import_process(job_id: int) -> None:
    """Process one uploaded CSV (the job is claimed first, so a second run does nothing)."""
    import_job_process(job_id=job_id)

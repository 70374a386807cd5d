"""Celery tasks of the portfolio: rebuilding the rollups the dashboard reads."""

from celery import shared_task
from django.db import OperationalError

from portfolio.rollups import rollups_refresh


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def refresh_rollups() -> int:
    """Rebuild every pilot's rollups; idempotent (a rebuild, not an increment), and two runs
    never interleave (the refresh locks its state row). Returns the duration in ms."""
    return rollups_refresh().duration_ms

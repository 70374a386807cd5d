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
    """Bring the rollups up to date: recompute the cells changed since the last run (all of
    them the first time, or after a currency change). Idempotent: a cell is recomputed from
    the facts, never incremented, and two runs never interleave (the refresh locks its state
    row). Returns the duration in ms."""
    return rollups_refresh().duration_ms

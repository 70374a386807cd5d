"""Writes of the metrics app: metric definitions and observations (single and bulk)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from core.errors import DomainError, StateConflict
from core.outbox import enqueue
from metrics.ingest import IngestResult, validate_rows, write_rows


class InvalidObservationRows(DomainError):
    """A batch had bad rows; `errors` lists them as {"index", "field", "message"}."""

    code = "invalid_rows"

    def __init__(self, errors: list[dict]):
        super().__init__("Some rows are invalid; nothing was written.")
        self.errors = errors


@transaction.atomic
def observations_upsert(*, rows: list[dict], check_alerts: bool = True) -> IngestResult:
    """Upsert observation rows on metric + subject + period + source, all or nothing.

    An identical current row is left unchanged; a different value adds a new row that
    supersedes the old one (kept, no longer current); an unknown key is created.
    Raises InvalidObservationRows listing every bad row; nothing is written then.
    """
    clean, errors = validate_rows(rows)
    if errors:
        raise InvalidObservationRows(errors)
    try:
        with transaction.atomic():
            result = write_rows(clean)
    except IntegrityError as exc:
        # Another ingest wrote the same natural key between our read and our write.
        raise StateConflict(
            "A concurrent import wrote some of these observations; send the batch again.",
            code="concurrent_write",
        ) from exc
    if check_alerts and (result.created or result.updated):
        enqueue("metrics.tasks.alerts_check_below_baseline")
    return result


@transaction.atomic
def observation_upsert(
    *,
    metric: str,
    subject_type: str,
    subject_id: str | int,
    period_start: str,
    period_end: str,
    value,
    source: str = "",
) -> IngestResult:
    """One observation through the same rules as a batch (natural key, supersede, no-op)."""
    row = {
        "metric": metric,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "period_start": period_start,
        "period_end": period_end,
        "value": value,
        "source": source,
    }
    return observations_upsert(rows=[row])

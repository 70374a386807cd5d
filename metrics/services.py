"""Writes of the metrics app: metric definitions and observations (single and bulk)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from core.errors import InvalidRows, StateConflict
from core.outbox import enqueue
from metrics.ingest import CleanRow, IngestResult, Writer, validate_rows, write_rows
from metrics.models import MEANING, MetricDefinition

# What a metric in use keeps: its key (observations and HR systems name it) and its meaning.
FIXED_IN_USE = ("key", *MEANING)


class MetricInUse(StateConflict):
    code = "metric_in_use"


def metric_definition_check_change(*, metric: MetricDefinition, data: dict) -> None:
    """Refuse a new key or meaning for a metric that observations or baselines use: they were
    recorded and frozen under the old one. Name, description and `active` stay editable."""
    fixed = [n for n in FIXED_IN_USE if n in data and data[n] != getattr(metric, n)]
    if fixed and metric.is_in_use():
        raise MetricInUse(
            f"{metric.key} has observations or baselines, so its {', '.join(fixed)} cannot "
            "change. Create a new metric for the new meaning (and deactivate this one).",
            fields={name: ["Fixed: the metric is in use."] for name in fixed},
        )


@transaction.atomic
def metric_definition_create(*, data: dict) -> MetricDefinition:
    return MetricDefinition.objects.create(**data)


@transaction.atomic
def metric_definition_update(*, metric: MetricDefinition, data: dict) -> MetricDefinition:
    """Change what may change. Deactivating stops new observations; baselines already frozen
    keep the metric in their protected periods."""
    metric = MetricDefinition.objects.select_for_update().get(pk=metric.pk)
    metric_definition_check_change(metric=metric, data=data)
    changed = [name for name, value in data.items() if getattr(metric, name) != value]
    for name in changed:
        setattr(metric, name, data[name])
    if changed:
        metric.save(update_fields=[*changed, "updated_at"])
    return metric


@transaction.atomic
def metric_definition_delete(*, metric: MetricDefinition) -> None:
    if metric.is_in_use():
        raise MetricInUse("This metric has observations or baselines; deactivate it instead.")
    metric.delete()


@transaction.atomic
def observations_upsert(
    *, rows: list[dict], check_alerts: bool = True, by: Writer | None = None
) -> IngestResult:
    """Upsert observation rows on metric + subject + period + source, all or nothing.

    An identical current row is left unchanged; a different value adds a new row that
    supersedes the old one (kept, no longer current); an unknown key is created.
    Raises InvalidRows listing every bad row; nothing is written then. New rows
    record `by`: the API client, user or import that wrote them.
    """
    clean, errors = validate_rows(rows)
    if errors:
        raise InvalidRows(errors)
    result = observations_write(clean, by=by or Writer())
    if check_alerts and (result.created or result.updated):
        enqueue("metrics.tasks.alerts_check_below_baseline")
    return result


def observations_write(clean: list[CleanRow], *, by: Writer) -> IngestResult:
    """Write validated rows in one transaction: the one write path of the bulk API and the
    CSV import (which validates the whole file first, then writes it chunk by chunk)."""
    try:
        with transaction.atomic():
            return write_rows(clean, by=by)
    except IntegrityError as exc:
        # Another ingest wrote the same natural key between our read and our write.
        raise StateConflict(
            "A concurrent import wrote some of these observations; send the batch again.",
            code="concurrent_write",
        ) from exc

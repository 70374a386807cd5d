"""Fast, all-or-nothing ingest of observation rows (the API's bulk endpoint and CSV imports).

Rows are validated in Python against lookups fetched once per batch (one query for metric
keys, one per subject type present). Valid batches are written set-based: on PostgreSQL the
rows are COPYed into a temporary staging table, matched against the current rows in one
pass, and only what changed is superseded and inserted, whatever the batch size; elsewhere
(SQLite) with one read of the current rows, one UPDATE and one bulk INSERT.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from metrics.models import MetricDefinition, Observation, SubjectType
from people.models import Person
from pilots.models import Pilot, Workgroup

MAX_ROWS = 10_000
# Computed once: an enum's `.values` is rebuilt on every access, too slow per row.
SUBJECT_TYPES = frozenset(SubjectType.values)
FIELDS = ("metric", "subject_type", "subject_id", "period_start", "period_end", "value", "source")
REQUIRED = FIELDS[:-1]
DEFAULT_SOURCE = "api"
FOUR_PLACES = Decimal("0.0001")
# numeric(20, 4): at most 16 digits before the decimal point.
VALUE_DIGITS = 16
# A value written plainly with at most 16 digits before the point and 4 after already fits
# numeric(20, 4) exactly: it skips the general checks, which cost more than the rest of a row.
PLAIN_VALUE = re.compile(r"-?[0-9]{1,16}(?:\.[0-9]{1,4})?")

Key = tuple[int, str, int, dt.date, dt.date, str]


@dataclass
class IngestResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def add(self, other: IngestResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass(frozen=True)
class Writer:
    """Who writes a batch, recorded on every row it adds: the API client of a bearer-token
    request, the CSV import, the person logged in (an import records who uploaded it)."""

    api_client_id: int | None = None
    import_job_id: int | None = None
    user_id: int | None = None


class CleanRow(NamedTuple):
    """A validated row. A named tuple: cheap to build 10,000 times per request. The natural key
    comes first, so it is a slice."""

    metric_id: int
    subject_type: str
    subject_id: int
    period_start: dt.date
    period_end: dt.date
    source: str
    value: Decimal

    @property
    def key(self) -> Key:
        return self[:6]


class RowError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class Lookups:
    """Everything a batch refers to, fetched with one query per kind of reference."""

    def __init__(self, rows: list):
        keys: set[str] = set()
        wanted: dict[str, set[str]] = {t: set() for t in SUBJECT_TYPES}
        for r in rows:
            if not isinstance(r, dict):
                continue
            if r.get("metric") is not None:
                keys.add(str(r["metric"]))
            kind, subject = r.get("subject_type"), r.get("subject_id")
            if isinstance(kind, str) and kind in wanted and subject not in (None, ""):
                wanted[kind].add(str(subject))
        found = MetricDefinition.objects.filter(key__in=keys).values_list("key", "pk", "active")
        self.metrics = {key: pk for key, pk, active in found if active}
        self.inactive = {key for key, _, active in found if not active}
        self.subjects = {
            SubjectType.PERSON: _people(wanted[SubjectType.PERSON]),
            SubjectType.WORKGROUP: _ids(Workgroup, wanted[SubjectType.WORKGROUP]),
            SubjectType.PILOT: _ids(Pilot, wanted[SubjectType.PILOT]),
        }


def _people(external_ids: set[str]) -> dict[str, int]:
    if not external_ids:
        return {}
    return dict(
        Person.objects.filter(external_id__in=external_ids).values_list("external_id", "pk")
    )


def _ids(model, raw: set[str]) -> dict[str, int]:
    numbers = {int(v) for v in raw if v.isdigit() and len(v) < 19}
    if not numbers:
        return {}
    return {str(pk): pk for pk in model.objects.filter(pk__in=numbers).values_list("pk", flat=True)}


def validate_rows(
    rows, *, offset: int = 0, seen: dict | None = None
) -> tuple[list[CleanRow], list[dict]]:
    """Clean every row; return (clean rows, errors as {"index", "field", "message"}).

    A file imported in chunks passes the row `offset` of the chunk and one `seen` dict for
    the whole file, so duplicates are caught across chunks too.
    """
    if not isinstance(rows, list):
        return [], [{"index": None, "field": "rows", "message": "Send a list of rows."}]
    if len(rows) > MAX_ROWS:
        message = f"At most {MAX_ROWS} rows per request; got {len(rows)}."
        return [], [{"index": None, "field": "rows", "message": message}]
    lookups = Lookups(rows)
    clean, errors = [], []
    seen = {} if seen is None else seen
    for index, row in enumerate(rows, start=offset):
        try:
            item = clean_row(row, lookups)
        except RowError as exc:
            errors.append({"index": index, "field": exc.field, "message": exc.message})
            continue
        first = seen.setdefault(item.key, index)
        if first != index:
            message = f"Same metric, subject, period and source as row {first}."
            errors.append({"index": index, "field": "non_field_errors", "message": message})
            continue
        clean.append(item)
    return clean, errors


def clean_row(row, lookups: Lookups) -> CleanRow:
    if not isinstance(row, dict):
        raise RowError("non_field_errors", "Each row must be an object.")
    given = tuple(map(row.get, REQUIRED))
    if None in given or "" in given:
        missing = next(n for n, v in zip(REQUIRED, given, strict=True) if v in (None, ""))
        raise RowError(missing, "This field is required.")
    metric, subject_type, subject, start, end, value = given
    metric_id = lookups.metrics.get(str(metric))
    if metric_id is None:
        if str(metric) in lookups.inactive:
            message = f"Metric {str(metric)[:64]!r} is deactivated: it takes no new observations."
            raise RowError("metric", message)
        raise RowError("metric", f"Unknown metric key {str(metric)[:64]!r}.")
    if not isinstance(subject_type, str) or subject_type not in SUBJECT_TYPES:
        raise RowError("subject_type", f"Must be one of {', '.join(SubjectType.values)}.")
    subject_id = lookups.subjects[subject_type].get(str(subject))
    if subject_id is None:
        raise RowError("subject_id", f"No {subject_type} with id {str(subject)[:64]!r}.")
    start = _date(start, "period_start")
    end = _date(end, "period_end")
    if end < start:
        raise RowError("period_end", "Must be on or after period_start.")
    source = row.get("source") or DEFAULT_SOURCE
    if not isinstance(source, str) or len(source) > 64:
        raise RowError("source", "Must be text of at most 64 characters.")
    return CleanRow(metric_id, subject_type, subject_id, start, end, source, _value(value))


def _date(raw, name: str) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    parsed = _parse_date(raw) if isinstance(raw, str) else None
    if parsed is None:
        raise RowError(name, "Enter a date as YYYY-MM-DD.")
    return parsed


@lru_cache(maxsize=4096)
def _parse_date(raw: str) -> dt.date | None:
    """Batches repeat the same few period dates thousands of times: parse each once."""
    if len(raw) != 10:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def _value(raw) -> Decimal:
    if type(raw) is str and PLAIN_VALUE.fullmatch(raw):
        return Decimal(raw)
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise RowError("value", "Enter a decimal number.")
    try:
        value = Decimal(raw) if isinstance(raw, str) else Decimal(str(raw))
    except InvalidOperation:
        raise RowError("value", "Enter a decimal number.") from None
    # By the exponent, not arithmetic: abs(Decimal("1e999999999")) overflows the context.
    if not value.is_finite() or (value and value.adjusted() >= VALUE_DIGITS):
        raise RowError("value", "Enter a finite decimal number below 10^16.")
    if value and value.adjusted() < -5:  # rounds to zero at four places
        return Decimal(0).quantize(FOUR_PLACES)
    if value.as_tuple().exponent < -4:  # more places than stored: round like the database
        value = value.quantize(FOUR_PLACES, rounding=ROUND_HALF_EVEN)
    return value


def write_rows(clean: list[CleanRow], *, by: Writer) -> IngestResult:
    """Upsert valid rows on their natural key, all or nothing (a savepoint inside the caller's
    transaction: the staging table is emptied at every commit, so autocommit would lose it)."""
    if not clean:
        return IngestResult()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _write_postgresql(clean, by)
        return _write_portable(clean, by)


# The staging table lives as long as the connection and is emptied at each commit: creating
# and dropping it per batch wrote to the catalog, which made even a re-send that changes
# nothing wait for a WAL flush. It is not ANALYZEd either: the planner sizes it from its pages,
# which is enough for the one plan that makes sense, an index probe per staged row.
STAGE = """
CREATE TEMPORARY TABLE IF NOT EXISTS metrics_observation_stage (
    metric_id bigint, subject_type varchar(10), subject_id bigint, period_start date,
    period_end date, source varchar(64), value numeric(20, 4), old_id bigint,
    old_value numeric(20, 4)
) ON COMMIT DELETE ROWS
"""
COPY = """
COPY metrics_observation_stage (metric_id, subject_type, subject_id, period_start, period_end,
    source, value) FROM STDIN (FORMAT BINARY)
"""
COPY_TYPES = ["int8", "varchar", "int8", "date", "date", "varchar", "numeric"]  # CleanRow's
# Joins on exactly the natural key, current rows only (PostgreSQL probes the subject index,
# which is smaller, and filters period_end and source on the one or two rows it finds). Counts
# in the same statement: matched rows with the same value are unchanged, the others updated.
MATCH = """
WITH matched AS (
    UPDATE metrics_observation_stage s SET old_id = o.id, old_value = o.value
    FROM metrics_observation o
    WHERE o.is_current AND o.metric_id = s.metric_id AND o.subject_type = s.subject_type
      AND o.subject_id = s.subject_id AND o.period_start = s.period_start
      AND o.period_end = s.period_end AND o.source = s.source
    RETURNING o.value = s.value AS same
)
SELECT count(*) FILTER (WHERE same), count(*) FILTER (WHERE NOT same) FROM matched
"""
SUPERSEDE = """
UPDATE metrics_observation o SET is_current = false, superseded_at = %s
FROM metrics_observation_stage s WHERE o.id = s.old_id AND s.old_value <> s.value
"""
INSERT = """
INSERT INTO metrics_observation (metric_id, subject_type, subject_id, period_start,
    period_end, value, source, recorded_at, is_current, superseded_at, supersedes_id,
    api_client_id, import_job_id, recorded_by_id)
SELECT metric_id, subject_type, subject_id, period_start, period_end, value, source, %s,
    true, NULL, old_id, %s, %s, %s
FROM metrics_observation_stage WHERE old_id IS NULL OR old_value <> value
"""


def _write_postgresql(clean: list[CleanRow], by: Writer) -> IngestResult:
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(STAGE)
        cursor.execute("DELETE FROM metrics_observation_stage")  # an earlier batch, same commit
        with cursor.cursor.copy(COPY) as copy:
            copy.set_types(COPY_TYPES)
            for row in clean:
                copy.write_row(row)
        cursor.execute(MATCH)
        unchanged, updated = cursor.fetchone()
        created = len(clean) - unchanged - updated
        # Only what changed is written: a re-sent batch ends here.
        if updated:
            cursor.execute(SUPERSEDE, [now])
        if created or updated:
            cursor.execute(INSERT, [now, by.api_client_id, by.import_job_id, by.user_id])
    return IngestResult(created, updated, unchanged)


def _write_portable(clean: list[CleanRow], by: Writer) -> IngestResult:
    current = _current_by_key(clean)
    result, new_rows, superseded = IngestResult(), [], []
    for row in clean:
        old = current.get(row.key)
        if old is not None and old.value == row.value:
            result.unchanged += 1
            continue
        if old is None:
            result.created += 1
        else:
            result.updated += 1
            superseded.append(old.pk)
        new_rows.append(
            Observation(
                metric_id=row.metric_id,
                subject_type=row.subject_type,
                subject_id=row.subject_id,
                period_start=row.period_start,
                period_end=row.period_end,
                value=row.value,
                source=row.source,
                supersedes_id=old.pk if old else None,
                api_client_id=by.api_client_id,
                import_job_id=by.import_job_id,
                recorded_by_id=by.user_id,
            )
        )
    now = timezone.now()
    for start in range(0, len(superseded), 500):  # SQLite caps bound parameters
        Observation.objects.filter(pk__in=superseded[start : start + 500]).update(
            is_current=False, superseded_at=now
        )
    Observation.objects.bulk_create(new_rows, batch_size=500)
    return result


def _current_by_key(clean: list[CleanRow]) -> dict[Key, Observation]:
    """Current rows that may match the batch: narrowed by metric, subject and dates in SQL,
    matched exactly on the natural key in Python."""
    subject_ids = {r.subject_id for r in clean}
    candidates = Observation.objects.current().filter(
        metric_id__in={r.metric_id for r in clean},
        period_start__gte=min(r.period_start for r in clean),
        period_start__lte=max(r.period_start for r in clean),
    )
    if len(subject_ids) <= 500:
        candidates = candidates.filter(subject_id__in=subject_ids)
    found = {}
    for obs in candidates.only(
        "id",
        "metric_id",
        "subject_type",
        "subject_id",
        "period_start",
        "period_end",
        "value",
        "source",
    ):
        key = (
            obs.metric_id,
            obs.subject_type,
            obs.subject_id,
            obs.period_start,
            obs.period_end,
            obs.source,
        )
        found[key] = obs
    return found

"""CSV imports of observations by HR admins: checking the upload, then processing it in
chunks from a Celery task with visible progress, and the downloadable error report.

A file is validated completely before anything is written (all-or-nothing, like the bulk
API). Writing then goes chunk by chunk, each in its own transaction so that progress is
visible to the page polling it; if a worker dies midway, running the job again is safe
because every chunk is an idempotent upsert.
"""

from __future__ import annotations

import csv
import io
import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.outbox import enqueue
from metrics.ingest import FIELDS, IngestResult, Writer, validate_rows
from metrics.models import ImportJob, ImportStatus
from metrics.services import observations_write

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
CHUNK = 1000
REQUIRED_COLUMNS = [f for f in FIELDS if f != "source"]
CSV_SOURCE = "csv"
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def read_text(upload: UploadedFile) -> str:
    """The file as text, or a DomainError that says what is wrong with it."""
    if upload.size > MAX_BYTES:
        raise DomainError(
            f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files.",
            code="file_too_large",
        )
    raw = upload.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.",
            code="bad_encoding",
        ) from None


def check_columns(text: str) -> None:
    rows = csv.reader(io.StringIO(text))
    try:
        header = next(rows, [])
        for _row in rows:  # read to the end now: a malformed line is the uploader's to fix
            pass
    except csv.Error as exc:
        raise DomainError(
            f"Line {rows.line_num} cannot be read as CSV ({exc}): a cell may be longer than "
            f"{csv.field_size_limit():,} characters or a quote left open.",
            code="bad_csv",
        ) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in {h.strip() for h in header}]
    if missing:
        raise DomainError(
            f"The header row lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. Expected: {', '.join(FIELDS)}.",
            code="missing_columns",
        )


@transaction.atomic
def import_job_create(*, upload: UploadedFile, by) -> ImportJob:
    """Check the upload (size, encoding, header), store it and queue its processing."""
    text = read_text(upload)
    check_columns(text)
    upload.seek(0)
    job = ImportJob.objects.create(file=upload, original_name=upload.name[:255], created_by=by)
    enqueue("metrics.tasks.import_process", job_id=job.pk)
    return job


def parse_rows(job: ImportJob) -> list[dict]:
    with job.file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    return [
        {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        | {"source": (row.get("source") or "").strip() or CSV_SOURCE}
        for row in reader
    ]


def import_job_process(*, job_id: int) -> None:
    """Validate the whole file, then write it in chunks, updating the job's progress."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # already processed (or being processed) by another run
    try:
        _process(ImportJob.objects.get(pk=job_id))
    except Exception:
        logger.exception("Import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            message="The import stopped on an unexpected error; nothing more was written. "
            "Upload the file again (rows already written are recognised as unchanged).",
            finished_at=timezone.now(),
        )
        raise


def _process(job: ImportJob) -> None:
    job_id = job.pk
    rows = parse_rows(job)
    ImportJob.objects.filter(pk=job_id).update(rows_total=len(rows))
    clean, errors, seen = [], [], {}
    for start in range(0, len(rows), CHUNK):
        chunk_clean, chunk_errors = validate_rows(
            rows[start : start + CHUNK], offset=start, seen=seen
        )
        clean += chunk_clean
        errors += chunk_errors
    if errors:
        _finish(job_id, ImportStatus.FAILED, errors=errors, rows=rows)
        return
    total, writer = IngestResult(), Writer(import_job_id=job_id, user_id=job.created_by_id)
    for start in range(0, len(clean), CHUNK):
        total.add(observations_write(clean[start : start + CHUNK], by=writer))
        ImportJob.objects.filter(pk=job_id).update(rows_done=min(start + CHUNK, len(clean)))
    ImportJob.objects.filter(pk=job_id).update(**total.as_dict())
    _finish(job_id, ImportStatus.DONE)
    if total.created or total.updated:
        enqueue("metrics.tasks.alerts_check_below_baseline")


def _finish(job_id: int, status: str, errors=(), rows=()) -> None:
    report = [
        {
            "line": e["index"] + 2,  # the header is line 1
            "field": e["field"],
            "message": e["message"],
            "value": str(rows[e["index"]].get(e["field"], ""))[:200],
        }
        for e in errors
    ]
    message = f"{len(report)} row(s) have errors; nothing was written." if report else ""
    ImportJob.objects.filter(pk=job_id).update(
        status=status, errors=report, message=message, finished_at=timezone.now()
    )


def safe_cell(value) -> str:
    """Neutralise a cell a spreadsheet would run as a formula: prefix it with a quote."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def error_report_csv(job: ImportJob) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "field", "message", "value"])
    for error in job.errors:
        writer.writerow([safe_cell(error[k]) for k in ("line", "field", "message", "value")])
    return out.getvalue()

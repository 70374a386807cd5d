"""Hostile CSV uploads to the metrics import (HR admin's page): wrong encodings, missing
columns, huge files and spreadsheet formulas are refused, or neutralised, with a clear report."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metrics.imports import MAX_BYTES
from metrics.models import ImportJob, ImportStatus, Observation

pytestmark = pytest.mark.django_db

HEADER = "metric,subject_type,subject_id,period_start,period_end,value,source\n"
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def inline_tasks():
    """Run the import in this process even in the services pass (its rows are uncommitted)."""
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def upload(client, cast, settings, tmp_path, django_capture_on_commit_callbacks, inline_tasks):
    """Factory: hilda uploads `data` as a CSV; the import runs inline; returns the response."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.users["hilda"])

    def send(data: bytes, name: str = "metrics.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/metrics/imports/", {"file": SimpleUploadedFile(name, data)})

    return send


def _row(value="5", source="hr", who="P-CAROL") -> str:
    return f"tickets-closed,person,{who},2026-07-01,2026-07-31,{value},{source}\n"


def _refused_with(response, text: str) -> None:
    assert response.status_code == 200
    assert text in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_file_in_another_unicode_encoding_is_refused_with_how_to_fix_it(upload, encoding):
    response = upload((HEADER + _row()).encode(encoding))
    _refused_with(response, "not UTF-8 text")


def test_a_latin1_file_with_accents_is_refused_not_garbled(upload):
    response = upload((HEADER + _row(source="Zürich")).encode("latin-1"))
    _refused_with(response, "not UTF-8 text")


def test_binary_junk_is_refused(upload):
    _refused_with(upload(bytes(range(256)) * 4), "not UTF-8 text")


def test_missing_columns_are_named(upload):
    response = upload(b"metric,value\ntickets-closed,5\n")
    _refused_with(response, "subject_type, subject_id, period_start, period_end")


def test_a_file_over_the_limit_is_refused_before_it_is_read(upload):
    huge = HEADER + _row() * (MAX_BYTES // len(_row()) + 10)
    response = upload(huge.encode())
    _refused_with(response, "the limit is 10 MB")


def test_a_file_that_is_not_csv_is_refused(upload):
    _refused_with(upload((HEADER + _row()).encode(), name="metrics.xlsx"), "Upload a .csv file")


def test_a_formula_in_a_number_cell_fails_that_row_and_writes_nothing(upload, cast):
    upload((HEADER + _row() + _row(value=FORMULA, who="P-DAN")).encode())
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "nothing was written" in job.message
    assert [e["line"] for e in job.errors] == [3]
    assert not Observation.objects.filter(source="hr").exists()


def test_the_error_report_neutralises_formulas_before_a_spreadsheet_opens_it(upload, cast, client):
    upload((HEADER + _row(value=FORMULA) + _row(value="@SUM(A1)", who="P-DAN")).encode())
    job = ImportJob.objects.get()
    report = client.get(f"/metrics/imports/{job.pk}/errors.csv")
    assert report.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(report.content.decode())) for cell in row]
    assert FORMULA not in cells and f"'{FORMULA}" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_a_formula_in_a_text_cell_is_never_handed_back_to_a_spreadsheet_live(upload, cast, client):
    upload((HEADER + _row(source='=HYPERLINK("http://x")')).encode())
    stored = Observation.objects.filter(source__startswith="=").first()
    job = ImportJob.objects.get()
    if stored is None:
        assert job.status == ImportStatus.FAILED and job.errors  # refused, with a row report
    else:
        page = client.get(f"/metrics/imports/{job.pk}/").content.decode()
        assert '=HYPERLINK("http' not in page  # escaped in HTML like any text

"""The import page people watch: refused rows are listed on the page itself (the CSV report
stays), and a failed import looks failed, not like a full blue bar."""

import pytest

from metrics.models import ImportJob, ImportStatus

from .test_imports import csv_file, hr, upload, weeks  # noqa: F401 - hr is a fixture

pytestmark = pytest.mark.django_db


def test_a_failed_import_lists_its_refused_rows_and_looks_failed(
    hr,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    lines = weeks(3)
    lines[1] = "cases_closed,person,P-CAROL,2025-01-13,2025-01-19,lots,hris\n"
    with django_capture_on_commit_callbacks(execute=True):
        upload(hr, csv_file(lines))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    page = hr.get(f"/metrics/imports/{job.pk}/").content.decode()
    assert 'class="badge bad"' in page and 'class="progress failed"' in page
    assert "data-error-rows" in page
    assert (
        '<td class="num">3</td><td>value</td><td>Enter a decimal number.</td><td>lots</td>' in page
    )
    assert f"/metrics/imports/{job.pk}/errors.csv" in page


def test_a_done_import_has_no_error_table(hr, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        upload(hr, csv_file(weeks(2)))
    job = ImportJob.objects.get()
    page = hr.get(f"/metrics/imports/{job.pk}/").content.decode()
    assert job.status == ImportStatus.DONE and "data-error-rows" not in page
    assert 'class="badge good"' in page

"""CSV imports: upload checks, chunked processing with progress, the error report."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metrics.imports import CHUNK, import_job_process, safe_cell
from metrics.models import ImportJob, ImportStatus, Observation

HEADER = "metric,subject_type,subject_id,period_start,period_end,value,source\n"


def csv_file(lines, name="obs.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, (HEADER + "".join(lines)).encode(encoding), "text/csv")


def weeks(n, who="P-CAROL"):
    day = dt.date(2025, 1, 6)
    return [
        f"cases_closed,person,{who},{day + dt.timedelta(weeks=i)},"
        f"{day + dt.timedelta(weeks=i, days=6)},{i},hris\n"
        for i in range(n)
    ]


@pytest.fixture
def hr(client, hilda, cases, carol):
    client.force_login(hilda)
    return client


def upload(client, file):
    return client.post("/metrics/imports/", {"file": file})


def test_an_hr_admin_uploads_a_csv_and_it_is_imported(hr, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = upload(hr, csv_file(weeks(CHUNK + 5)))
    job = ImportJob.objects.get()
    assert answer.status_code == 302 and answer.url == f"/metrics/imports/{job.pk}/"
    assert (job.status, job.rows_total, job.rows_done, job.created) == (
        "done",
        CHUNK + 5,
        CHUNK + 5,
        CHUNK + 5,
    )
    status = hr.get(f"/metrics/imports/{job.pk}/status/").json()
    assert status["percent"] == 100 and status["status"] == "done"
    assert hr.get(f"/metrics/imports/{job.pk}/").status_code == 200


def test_importing_the_same_file_again_adds_nothing(hr, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            upload(hr, csv_file(weeks(3)))
    assert ImportJob.objects.first().unchanged == 3
    assert Observation.objects.count() == 3


def test_a_bad_row_fails_the_whole_file_with_a_downloadable_report(
    hr, django_capture_on_commit_callbacks
):
    lines = weeks(3)
    lines[1] = "cases_closed,person,P-CAROL,2025-01-13,2025-01-19,=HYPERLINK(1),hris\n"
    with django_capture_on_commit_callbacks(execute=True):
        upload(hr, csv_file(lines))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and not Observation.objects.exists()
    report = hr.get(f"/metrics/imports/{job.pk}/errors.csv")
    assert report["Content-Type"].startswith("text/csv")
    assert report.content.decode().splitlines() == [
        "line,field,message,value",
        "3,value,Enter a decimal number.,'=HYPERLINK(1)",
    ]


def test_duplicates_across_chunks_are_reported(hr, django_capture_on_commit_callbacks):
    lines = weeks(CHUNK + 1)
    lines.append(lines[0])
    with django_capture_on_commit_callbacks(execute=True):
        upload(hr, csv_file(lines))
    job = ImportJob.objects.get()
    assert [e["line"] for e in job.errors] == [CHUNK + 3]


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (csv_file(weeks(1), encoding="utf-16"), "not UTF-8"),
        (SimpleUploadedFile("x.csv", b"metric,value\ncases_closed,1\n"), "lacks the columns"),
        (SimpleUploadedFile("x.xlsx", b"PK\x03\x04"), "Upload a .csv file"),
    ],
)
def test_wrong_files_are_refused_with_a_clear_message(hr, file, message):
    answer = upload(hr, file)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused(hr, settings, monkeypatch):
    monkeypatch.setattr("metrics.imports.MAX_BYTES", 100)
    answer = upload(hr, csv_file(weeks(5)))
    assert "the limit is" in answer.content.decode()


def test_processing_a_job_twice_does_nothing_the_second_time(hr, hilda):
    job = ImportJob.objects.create(file=csv_file(weeks(2)), original_name="x.csv", created_by=hilda)
    import_job_process(job_id=job.pk)
    import_job_process(job_id=job.pk)
    assert Observation.objects.count() == 2


def test_only_hr_admins_may_import(client, carol, hilda):
    client.force_login(carol)
    assert client.get("/metrics/imports/").status_code == 403
    job = ImportJob.objects.create(file=csv_file(weeks(1)), original_name="x.csv", created_by=hilda)
    assert client.get(f"/metrics/imports/{job.pk}/status/").status_code == 403
    assert client.get(f"/metrics/imports/{job.pk}/errors.csv").status_code == 403


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_formula_cells_are_neutralised(cell):
    assert safe_cell(cell).startswith("'")


def test_the_imports_page_costs_the_same_queries_at_two_sizes(hr, hilda, django_assert_num_queries):
    def page():
        # session, user, permissions (user + groups), jobs with uploader, context roles
        with django_assert_num_queries(6):
            assert hr.get("/metrics/imports/").status_code == 200

    ImportJob.objects.create(file=csv_file(weeks(1)), original_name="a.csv", created_by=hilda)
    page()
    for n in range(5):
        ImportJob.objects.create(
            file=csv_file(weeks(1)), original_name=f"{n}.csv", created_by=hilda
        )
    page()

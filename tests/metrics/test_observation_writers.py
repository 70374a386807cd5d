"""Each observation says who wrote it: the API client of a bearer-token request, the person
of a browser session, or the CSV import (and who uploaded it). A dispute over a value starts
from there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metrics.models import ImportJob, Observation

ROW = {
    "metric": "cases_closed",
    "subject_type": "person",
    "subject_id": "P-CAROL",
    "period_start": "2026-05-04",
    "period_end": "2026-05-10",
    "value": "12",
}


def test_an_api_client_is_recorded_on_what_it_writes(cases, carol, client_with_scopes):
    hris = client_with_scopes("metrics:read", "metrics:write", name="hris")
    hris.post("/api/v1/observations/bulk/", {"rows": [ROW]}, format="json")
    hris.post("/api/v1/observations/bulk/", {"rows": [ROW | {"value": "13"}]}, format="json")
    first, correction = Observation.objects.order_by("id")
    assert (first.api_client.name, correction.api_client.name) == ("hris", "hris")
    assert first.recorded_by is None and first.import_job is None
    listed = hris.get("/api/v1/observations/?include_superseded=true").json()["results"]
    assert {o["api_client"] for o in listed} == {"hris"}
    assert {o["import_job"] for o in listed} == {None}


def test_a_person_writing_in_a_session_is_recorded(cases, carol, hilda, api):
    api.force_authenticate(hilda)
    assert api.post("/api/v1/observations/bulk/", {"rows": [ROW]}, format="json").status_code == 200
    row = Observation.objects.get()
    assert (row.recorded_by, row.api_client) == (hilda, None)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_import_is_recorded_with_who_uploaded_it(
    cases, carol, hilda, client, django_capture_on_commit_callbacks
):
    client.force_login(hilda)
    text = "metric,subject_type,subject_id,period_start,period_end,value\n"
    text += "cases_closed,person,P-CAROL,2026-05-04,2026-05-10,7\n"
    upload = SimpleUploadedFile("obs.csv", text.encode(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/metrics/imports/", {"file": upload})
    row = Observation.objects.get()
    assert (row.import_job, row.recorded_by, row.api_client) == (
        ImportJob.objects.get(),
        hilda,
        None,
    )

"""The observations list writes each row in one step (ObservationSerializer.to_representation);
what it writes must be what DRF's declared fields would write, value for value."""

from types import SimpleNamespace

from rest_framework import serializers

from metrics.api import ObservationViewSet
from metrics.serializers import ObservationSerializer

ROWS = [
    {
        "metric": "cases_closed",
        "subject_type": "person",
        "subject_id": "P-CAROL",
        "period_start": "2026-05-04",
        "period_end": "2026-05-10",
        "value": "12.5",
    },
    {
        "metric": "cases_closed",
        "subject_type": "person",
        "subject_id": "P-CAROL",
        "period_start": "2026-05-11",
        "period_end": "2026-05-17",
        "value": "0.0001",
    },
]


def test_each_listed_row_is_what_the_declared_fields_would_write(cases, carol, client_with_scopes):
    hris = client_with_scopes("metrics:read", "metrics:write", name="hris ü")
    hris.post("/api/v1/observations/bulk/", {"rows": ROWS}, format="json")
    correction = ROWS[0] | {"value": "-3"}  # supersedes the first row
    hris.post("/api/v1/observations/bulk/", {"rows": [correction]}, format="json")
    listed = hris.get("/api/v1/observations/?include_superseded=true").json()["results"]
    assert len(listed) == 3
    assert {o["superseded_at"] is None for o in listed} == {True, False}
    assert {o["api_client"] for o in listed} == {"hris ü"}

    view = ObservationViewSet()
    view.request = SimpleNamespace(auth=hris.api_client)  # the client's view of the rows
    rows = {o.pk: o for o in view.get_queryset()}
    serializer = ObservationSerializer()
    for row in listed:
        assert row == serializers.ModelSerializer.to_representation(serializer, rows[row["id"]])

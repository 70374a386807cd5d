"""`?ordering=` on the large lists: only keys an index serves, a 400 naming them otherwise."""

import pytest
from django.db import connection

from metrics.api import BaselineViewSet, ObservationViewSet
from metrics.models import MetricDefinition, Observation
from people.api import PersonViewSet
from people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client_with_scopes):
    return client_with_scopes("metrics:read", "people:read")


@pytest.fixture
def observations(org):
    person = Person.objects.create(external_id="E1", full_name="Ann", org_unit=org)
    metric = MetricDefinition.objects.create(
        key="cases", name="Cases", unit="count", kind="performance"
    )
    return [
        Observation.objects.create(
            metric=metric,
            subject_type="person",
            subject_id=person.pk,
            period_start=f"2026-06-0{d}",
            period_end=f"2026-06-0{d}",
            value=d,
            source="t",
        )
        for d in (1, 2, 3)
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/observations/?ordering=value",
        "/api/v1/observations/?ordering=period_start",
        "/api/v1/observations/?ordering=",
        "/api/v1/people/?ordering=email",
        "/api/v1/people/?ordering=full_name,active",
        "/api/v1/baselines/?ordering=value",
    ],
)
def test_an_ordering_no_index_serves_is_refused_with_the_keys_that_are_allowed(reader, path):
    response = reader.get(path)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "Order by one of" in body["fields"]["ordering"][0]


def test_observations_order_by_id_either_way(reader, observations):
    ids = [o.pk for o in observations]
    up = reader.get("/api/v1/observations/?ordering=id").json()["results"]
    down = reader.get("/api/v1/observations/?ordering=-id").json()["results"]
    assert [o["id"] for o in up] == ids
    assert [o["id"] for o in down] == ids[::-1]


def test_people_order_by_name_descending(reader, org):
    for n, name in enumerate(["Bea", "Ann", "Cid"]):
        Person.objects.create(external_id=f"E{n}", full_name=name, org_unit=org)
    body = reader.get("/api/v1/people/?ordering=-full_name").json()
    assert [p["full_name"] for p in body["results"]][:3] == ["Cid", "Bea", "Ann"]


def _index_prefixes(model) -> list[list[str]]:
    """Column lists of the model's indexes, unique constraints and primary key."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [
        c["columns"]
        for c in found.values()
        if c["columns"] and (c["index"] or c["unique"] or c["primary_key"])
    ]


@pytest.mark.parametrize("view", [ObservationViewSet, PersonViewSet, BaselineViewSet])
def test_every_allowed_ordering_is_the_start_of_an_index(view):
    """So a page in any allowed order reads an index range, at any number of rows."""
    model = view.serializer_class.Meta.model
    columns = _index_prefixes(model)
    for field in view.ordering_fields:
        column = model._meta.get_field(field).column
        wanted = [column] if column == "id" else [column, "id"]
        assert any(c[: len(wanted)] == wanted for c in columns) or any(
            c == [column] for c in columns if model._meta.get_field(field).unique
        ), f"{model.__name__}.{field}: no index starts with {wanted}"

"""Garbage in the coaching API is a clear 4xx, never a 500 (checked on both databases)."""

import pytest

from coaching import services

pytestmark = pytest.mark.django_db

HUGE = 10**30


@pytest.fixture
def as_carol(api, carol):
    api.force_authenticate(carol)
    return api


@pytest.mark.parametrize(
    "query",
    [
        {"workgroup": str(HUGE)},
        {"pilot": "1e400"},
        {"workgroup": "-1"},
        {"stage": "x" * 300},
        {"ordering": "nonsense"},
        {"page_size": "0"},
    ],
)
def test_odd_list_filters_never_fail(as_carol, workgroup, query):
    assert as_carol.get("/api/v1/cycles/", query).status_code in (200, 400)
    assert as_carol.get("/api/v1/opportunities/", query).status_code in (200, 400)


@pytest.mark.parametrize(
    "path,body",
    [
        ("/api/v1/cycles/", {"workgroup": HUGE}),
        ("/api/v1/cycles/{id}/data/", {"data_sought": "x", "observation_ids": [HUGE]}),
        ("/api/v1/cycles/{id}/data/", {"data_sought": "x", "observation_ids": "all"}),
        ("/api/v1/cycles/{id}/actions/", {"description": "x", "kind": "task", "owner": 5}),
        ("/api/v1/cycles/{id}/complete-stage/", {"stage": ["data"]}),
        ("/api/v1/opportunities/", {"cycle": HUGE, "title": "x"}),
        ("/api/v1/opportunities/", {"cycle": "{id}", "title": "x", "estimated_value": "1e99"}),
    ],
)
def test_odd_bodies_get_a_clear_4xx(as_carol, workgroup, carol, path, body):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    body = {k: (str(cycle.pk) if v == "{id}" else v) for k, v in body.items()}
    answer = as_carol.post(path.format(id=cycle.pk), body, format="json")
    assert 400 <= answer.status_code < 500, answer.content
    assert "code" in answer.json()


def test_a_huge_id_in_the_path_is_a_404(as_carol, workgroup):
    assert as_carol.get(f"/api/v1/cycles/{HUGE}/").status_code == 404
    assert as_carol.post(f"/api/v1/opportunities/{HUGE}/drop/", {"reason": "x"}).status_code == 404

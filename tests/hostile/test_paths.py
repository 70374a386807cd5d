"""Paths as buggy clients send them: without the trailing slash, with NUL or huge ids, at the
base path, nowhere at all. Always JSON, never a redirect, never a 5xx."""

import json

import pytest

from people.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/people", "/api/v1/people/"])
def test_a_create_without_the_trailing_slash_is_not_lost_to_a_redirect(hr, data, send, path):
    body = json.dumps({"external_id": f"N{len(path)}", "full_name": "New"})
    response = send(hr, "POST", path, body)
    assert response.status_code == 201
    assert Person.objects.filter(external_id=f"N{len(path)}").exists()


def test_every_method_works_without_the_trailing_slash(hr, data, send):
    assert send(hr, "GET", "/api/v1/people").status_code == 200
    assert send(hr, "GET", "/api/v1/people/E2").json()["external_id"] == "E2"
    patched = send(hr, "PATCH", "/api/v1/people/E2", json.dumps({"full_name": "Anne"}))
    assert patched.json()["full_name"] == "Anne"
    rows = json.dumps({"rows": [{"external_id": "E2", "full_name": "Ann"}]})
    assert send(hr, "POST", "/api/v1/people/bulk", rows).json()["updated"] == 1
    assert send(hr, "DELETE", "/api/v1/people/E2").status_code == 204
    assert send(hr, "GET", "/api/v1/metric-definitions/hours").status_code == 200


def test_the_base_path_is_a_json_index_of_resources(hr, send):
    for path in ("/api/v1/", "/api/v1"):
        body = send(hr, "GET", path).json()
        assert body["resources"]["people"].endswith("/api/v1/people/")
        assert {"org-units", "metric-definitions", "observations", "pilots"} <= set(
            body["resources"]
        )
        assert body["schema"].endswith("/api/schema/")


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_an_unknown_path_is_a_json_404_for_every_method(hr, send, method):
    for path in ("/api/v1/nothing", "/api/v1/nothing/", "/api/v1/people/E2/nothing"):
        response = send(hr, method, path, "{}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people/%00/",
        "/api/v1/people/%00",
        "/api/v1/org-units/A%00B/",
        "/api/v1/metric-definitions/%00/",
        "/api/v1/people/E2/protected-metrics/%00/",
        "/scim/v2/Users/%00",
    ],
)
def test_a_nul_in_the_path_is_a_400(hr, data, send, path):
    response = send(hr, "GET", path)
    assert response.status_code in (400, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/pilots/99999999999999999999999/",
        "/api/v1/pilots/-1/",
        "/api/v1/pilots/99999999999999999999999/effect/",
        "/api/v1/pilots/99999999999999999999999/value-vs-efficiency/",
        "/api/v1/pilots/99999999999999999999999/history/",
        "/api/v1/workgroups/99999999999999999999999/",
        "/api/v1/cycles/99999999999999999999999/",
        "/api/v1/opportunities/99999999999999999999999/",
        "/api/v1/goals/99999999999999999999999/",
        "/api/v1/webhooks/99999999999999999999999/",
        "/api/v1/observations/99999999999999999999999/",
        "/api/v1/baselines/99999999999999999999999/",
        "/api/v1/weekly-splits/99999999999999999999999/",
        "/api/v1/people/%F0%9F%98%80/",
        "/api/v1/people/%ED%A0%80/",
        "/api/v1/people/" + "x" * 5000 + "/",
    ],
)
def test_huge_and_strange_ids_in_paths_are_404s(hr, data, send, path):
    assert send(hr, "GET", path).status_code in (400, 404)


def test_a_write_to_a_huge_id_is_a_404(hr, send):
    for method in ("PUT", "PATCH", "DELETE"):
        response = send(hr, method, "/api/v1/pilots/99999999999999999999999/", "{}")
        assert response.status_code in (403, 404, 405)

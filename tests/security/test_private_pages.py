"""Pages, exports and API answers that hold personal data are never kept by a browser cache
or a proxy (`Cache-Control: no-store`), and every response switches off browser features
the app never uses (`Permissions-Policy`)."""

import pytest

from hrapi.services import api_client_create

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path",
    ["/", "/pilots/", "/portfolio/", "/portfolio/export.xlsx", "/portfolio/charts/scatter.csv"],
)
def test_a_leaders_pages_and_exports_are_not_stored_by_any_cache(client, alice, path):
    client.force_login(alice)
    response = client.get(path)
    assert response.status_code == 200
    assert _no_store(response) and "private" in response["Cache-Control"]


def test_the_token_page_is_not_stored_by_any_cache(client, hilda):
    client.force_login(hilda)
    shown = client.post("/integrations/", {"name": "payroll", "scopes": ["people:read"]})
    assert shown.status_code == 200 and b"rdf_" in shown.content
    assert _no_store(shown)
    assert _no_store(client.get("/integrations/"))


def test_api_answers_to_a_token_are_not_stored_by_any_cache(api, alice):
    _, token = api_client_create(name="payroll", scopes=["people:read"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.get("/api/v1/people/")
    assert response.status_code == 200 and _no_store(response)


def test_api_answers_to_a_session_are_not_stored_by_any_cache(api, alice):
    api.force_login(alice)
    assert _no_store(api.get("/api/v1/pilots/"))


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/api/schema/"])
def test_every_response_switches_off_camera_microphone_and_location(client, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]:
        assert feature in policy

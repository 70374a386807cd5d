"""Errors look like the app, and the browser's favicon request finds the icon."""

from django.test import override_settings


@override_settings(DEBUG=False)
def test_an_unknown_page_is_the_apps_404(client, bob):
    client.force_login(bob)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-error="404"' in page and "Go to your home page" in page


def test_a_refused_page_is_the_apps_403(client, erin):
    client.force_login(erin)
    response = client.get("/pilots/new/")
    assert response.status_code == 403 and 'data-error="403"' in response.content.decode()


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")

"""The home page: only for logged-in people, and it shows each role its way in."""

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("user", "shown", "hidden"),
    [
        ("alice", "Portfolio", "Metric imports"),
        ("carol", "My groups", "Portfolio"),
        ("hilda", "API clients", "My groups"),
        ("mallory", "no role in Redefine yet", "Portfolio"),
    ],
)
def test_home_shows_each_role_its_tiles(client, request, user, shown, hidden):
    client.force_login(request.getfixturevalue(user))
    page = client.get("/").content.decode()
    assert shown in page
    assert hidden not in page

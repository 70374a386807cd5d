"""A page and the endpoint behind the same data show the same rows to every member of the
cast: both ask the app's permissions.py (through the QuerySets' `visible_to`), so neither
can let a role see more, or less, than the other."""

import re

import pytest

from tests.matrix.cast import SIDES

pytestmark = pytest.mark.django_db

HUMANS = ["erin", "carol", "bob", "alice", "hilda", "mallory"]


def _api_ids(client, path: str, key: str) -> set:
    found, url = set(), path
    while url:
        response = client.get(url)
        assert response.status_code == 200, (path, response.status_code)
        body = response.json()
        found |= {row[key] for row in body["results"]}
        url = body.get("next")
    return found


@pytest.mark.parametrize("who", HUMANS)
def test_the_pilot_page_and_the_baselines_endpoint_show_the_same_supervisors(client, cast, who):
    client.force_login(cast.users[who])
    compared = 0
    for side in SIDES:
        pilot = cast.sides[side].pilot
        page = client.get(f"/pilots/{pilot.pk}/")
        if page.status_code != 200:
            continue  # who cannot see the pilot sees none of its page
        on_page = set(re.findall(r'data-baseline-row="([^"]+)"', page.content.decode()))
        in_api = _api_ids(client, f"/api/v1/baselines/?pilot={pilot.pk}", "person")
        assert on_page == in_api, (who, side)
        compared += 1
    if who in {"bob", "carol", "erin", "alice"}:
        assert compared, f"{who} should see at least their own pilot's page"


@pytest.mark.parametrize("who", HUMANS)
def test_the_pilots_page_and_the_pilots_endpoint_list_the_same_pilots(client, cast, who):
    client.force_login(cast.users[who])
    page = client.get("/pilots/")
    assert page.status_code == 200
    on_page = {int(pk) for pk in re.findall(r'href="/pilots/(\d+)/"', page.content.decode())}
    in_api = _api_ids(client, "/api/v1/pilots/", "id")
    assert on_page == in_api, who


def _listed_by(client, path: str, key: str) -> set:
    """What the endpoint lists to this person; nothing when it refuses them."""
    first = client.get(path)
    if first.status_code in (403, 404):
        return set()
    return _api_ids(client, path, key)


def _listed_on(client, path: str, pattern: str) -> set[str] | None:
    """The keys the page links to (every page of it), or None when the page refuses."""
    found, page_number = set(), 1
    while True:
        page = client.get(path, {"page": page_number})
        if page.status_code in (403, 404):
            return None
        assert page.status_code == 200, (path, page.status_code)
        html = page.content.decode()
        found |= set(re.findall(pattern, html))
        if f"page={page_number + 1}" not in html:
            return found
        page_number += 1


@pytest.mark.parametrize("who", HUMANS)
def test_the_people_page_and_the_people_endpoint_list_the_same_people(client, cast, who):
    client.force_login(cast.users[who])
    on_page = _listed_on(client, "/people/", r'href="/people/([^"/]+)/"')
    in_api = _listed_by(client, "/api/v1/people/", "external_id")
    if on_page is None:
        # The people pages are HR's and portfolio leaders' directory; others read the
        # people they work with (need to know) on the pilot and workgroup pages instead.
        assert who not in {"hilda", "alice"}
        return
    assert on_page == in_api, who


@pytest.fixture
def goals(cast):
    from datetime import date

    from goals.models import Goal, GoalLevel

    return [
        Goal.objects.create(
            title=f"Goal of side {name}",
            level=GoalLevel.TEAM,
            org_unit=side.org_unit,
            owner=side.supervisor,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            metric=cast.metric,
            start_value=10,
            target_value=20,
        )
        for name, side in cast.sides.items()
    ]


@pytest.mark.parametrize("who", HUMANS)
def test_the_goals_page_and_the_goals_endpoint_list_the_same_goals(client, cast, goals, who):
    client.force_login(cast.users[who])
    on_page = _listed_on(client, "/goals/", r'href="/goals/(\d+)/"')
    in_api = {str(pk) for pk in _listed_by(client, "/api/v1/goals/", "id")}
    assert in_api == (on_page or set()), who

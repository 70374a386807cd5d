"""The weekly split on pages: My week, the card on My groups, the trend beside a group's
cycles for its sponsor, and the strategic-share charts of the portfolio."""

from datetime import timedelta

from django.utils import timezone

from portfolio.rollups import rollups_refresh
from weekly.models import WeeklySplit
from weekly.services import week_of


def monday(weeks_ago=0):
    return week_of(timezone.localdate()) - timedelta(weeks=weeks_ago)


def test_one_tap_records_the_week_and_comes_back_to_the_page(client, carol, groups):
    client.force_login(carol)
    page = client.get("/coaching/").content.decode()
    assert 'id="weekly-split"' in page and 'value="75"' in page
    response = client.post(
        "/weekly/",
        {"week": monday().isoformat(), "strategic_percent": "75", "note": "", "next": "/coaching/"},
    )
    assert response.status_code == 302 and response["Location"] == "/coaching/"
    assert WeeklySplit.objects.get(person=carol.person).strategic_percent == 75
    assert 'class="split-button chosen"' in client.get("/coaching/").content.decode()


def test_a_closed_week_says_why_and_changes_nothing(client, carol, groups):
    client.force_login(carol)
    response = client.post("/weekly/", {"week": monday(2).isoformat(), "strategic_percent": "50"})
    assert response.status_code == 409
    assert "until the end of the following week" in response.content.decode()
    assert not WeeklySplit.objects.exists()


def test_the_next_page_must_be_on_this_site(client, carol, groups):
    client.force_login(carol)
    response = client.post(
        "/weekly/",
        {"week": monday().isoformat(), "strategic_percent": "0", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/weekly/"


def test_garbage_is_a_400(client, carol, groups):
    client.force_login(carol)
    for body in (
        {"week": "x", "strategic_percent": "5"},
        {"week": monday(), "strategic_percent": "-1"},
    ):
        assert client.post("/weekly/", body).status_code == 400
    assert not WeeklySplit.objects.exists()


def test_people_who_supervise_nothing_have_no_week_to_record(client, erin, bob, groups):
    for user in (erin, bob):
        client.force_login(user)
        assert client.get("/weekly/").status_code == 403
        assert 'id="weekly-split"' not in client.get("/coaching/").content.decode()


def test_the_sponsor_sees_the_supervisors_trend_beside_the_groups_cycles(
    client, bob, carol, erin, groups
):
    WeeklySplit.objects.create(person=carol.person, week=monday(1), strategic_percent=60)
    client.force_login(bob)
    page = client.get(f"/coaching/workgroups/{groups[0].pk}/timeline/").content.decode()
    assert "The supervisor's week" in page and "60 %" in page
    client.force_login(erin)  # a member of the group reads no one's week but their own
    assert (
        "split-bars"
        not in client.get(f"/coaching/workgroups/{groups[0].pk}/timeline/").content.decode()
    )


def test_the_portfolio_charts_the_strategic_share(client, alice, carol, pilot, groups):
    for weeks_ago, share in ((12, 10), (2, 55), (1, 65)):
        WeeklySplit.objects.create(
            person=carol.person, week=monday(weeks_ago), strategic_percent=share
        )
    rollups_refresh()
    client.force_login(alice)
    assert 'id="plot-strategic-share"' in client.get("/portfolio/").content.decode()
    csv = client.get("/portfolio/charts/strategic-share.csv").content.decode().splitlines()
    assert csv[0] == "approach,weeks_since_start,strategic_percent_mean,pilots"
    assert len(csv) == 4 and csv[-1].startswith("Work redefinition,")
    rows = client.get(f"/portfolio/pilots/{pilot.pk}/charts/strategic-share.csv").content.decode()
    assert rows.splitlines()[1:] == [
        f"{monday(12)},10.0,1",
        f"{monday(2)},55.0,1",
        f"{monday(1)},65.0,1",
    ]

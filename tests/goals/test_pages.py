"""The goal pages: the tree, a goal's page, the form, links, and the goals a pilot serves."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import Goal, GoalLevel, PilotGoal
from goals.services import pilot_goals_set
from tests.goals.conftest import make_goal, make_pilot, make_workgroup

L = GoalLevel


@pytest.fixture
def tree(alice, bob, units, metrics):
    org = make_goal(alice, units["org"], metrics["csat"], title="Org goal", start="80", target="90")
    claims = make_goal(
        alice,
        units["claims"],
        metrics["csat"],
        title="Claims goal",
        level=L.DEPARTMENT,
        parent=org,
        start="80",
        target="90",
    )
    return {"org": org, "claims": claims}


def test_the_tree_shows_every_goal_indented_by_depth(client, erin, tree):
    client.force_login(erin)
    page = client.get("/goals/").content.decode()
    assert 'data-depth="0"' in page and 'data-depth="1"' in page
    assert page.index("Org goal") < page.index("Claims goal")


def test_a_login_without_a_role_cannot_open_goals(client, mallory, tree):
    client.force_login(mallory)
    assert client.get("/goals/").status_code == 403
    assert client.get(f"/goals/{tree['org'].pk}/").status_code == 403
    assert b'href="/goals/"' not in client.get("/").content


def test_the_tree_page_costs_the_same_queries_at_any_size(
    client, erin, alice, tree, units, metrics, django_assert_num_queries
):
    client.force_login(erin)
    client.get("/goals/")
    with CaptureQueriesContext(connection) as small:
        client.get("/goals/")
    for n in range(10):
        make_goal(
            alice,
            units["team_a"],
            metrics["csat"],
            title=f"T{n}",
            level=L.TEAM,
            parent=tree["claims"],
            start="80",
            target="90",
        )
    with django_assert_num_queries(len(small)):
        assert client.get("/goals/").content.decode().count("goal-row level-") == 12


def test_the_goal_page_lists_serving_pilots_the_viewer_may_see_and_counts_the_rest(
    client, bob, carol, dan, tree
):
    mine, other = make_pilot(bob, name="Carol's pilot"), make_pilot(bob, name="Hidden pilot")
    make_workgroup(mine, carol)
    pilot_goals_set(pilot=mine, goals=[tree["org"]], by=bob)
    pilot_goals_set(pilot=other, goals=[tree["org"]], by=bob)
    client.force_login(carol)
    page = client.get(f"/goals/{tree['org'].pk}/").content.decode()
    assert "Carol&#x27;s pilot" in page and "Hidden pilot" not in page
    assert "And 1 pilot you cannot see." in page
    assert "Claims goal" in page  # the sub-goal


def test_a_head_saves_a_goal_through_the_form_and_sees_refusals_as_form_errors(
    client, dan, heads, units, metrics, tree
):
    client.force_login(dan)
    form = {
        "title": "Team B answers faster",
        "level": "team",
        "parent": tree["claims"].pk,
        "org_unit": units["team_b"].pk,
        "owner": "",
        "owner_search": "P-DAN",
        "period_start": "2026-02-01",
        "period_end": "2026-06-30",
        "metric": metrics["csat"].pk,
        "start_value": "80",
        "target_value": "70",
    }
    refused = client.post("/goals/new/", form)
    assert refused.status_code == 400 and "the target must be above" in refused.content.decode()
    saved = client.post("/goals/new/", {**form, "target_value": "88"})
    goal = Goal.objects.get(title="Team B answers faster")
    assert saved.status_code == 302 and saved["Location"] == f"/goals/{goal.pk}/"
    outside = client.post("/goals/new/", {**form, "org_unit": units["team_c"].pk, "title": "X"})
    assert outside.status_code == 400 and not Goal.objects.filter(title="X").exists()


def test_people_who_manage_nothing_get_no_form_and_no_buttons(client, erin, tree):
    client.force_login(erin)
    assert client.get("/goals/new/").status_code == 403
    assert client.get(f"/goals/{tree['org'].pk}/edit/").status_code == 403
    assert client.post(f"/goals/{tree['claims'].pk}/delete/").status_code == 302
    assert Goal.objects.filter(pk=tree["claims"].pk).exists()
    assert b"Add a sub-goal" not in client.get(f"/goals/{tree['org'].pk}/").content


def test_the_sponsor_names_the_goals_on_the_pilot_form_and_page(client, bob, alice, tree):
    pilot = make_pilot(bob, status="draft")
    client.force_login(bob)
    page = client.get(f"/pilots/{pilot.pk}/edit/").content.decode()
    assert "Goals this pilot serves" in page and "Claims goal" in page
    form = {
        "name": pilot.name,
        "approach": pilot.approach,
        "vision": pilot.vision,
        "pain_point": pilot.pain_point,
        "demonstration_project": pilot.demonstration_project,
        "planned_start": pilot.planned_start,
        "review_date": pilot.review_date,
        "patience_horizon_weeks": 26,
        "baseline_window_weeks": 12,
        "grace_period_days": 90,
        "goals": [tree["claims"].pk],
    }
    assert client.post(f"/pilots/{pilot.pk}/edit/", form).status_code == 302
    assert list(pilot.goals.all()) == [tree["claims"]]
    assert "Claims goal" in client.get(f"/pilots/{pilot.pk}/").content.decode()
    client.force_login(alice)  # a portfolio leader, not the sponsor
    assert client.get(f"/goals/pilots/{pilot.pk}/").status_code == 403
    client.force_login(bob)
    assert client.post(f"/goals/pilots/{pilot.pk}/", {"goals": [tree["org"].pk]}).status_code == 302
    assert list(PilotGoal.objects.values_list("goal_id", flat=True)) == [tree["org"].pk]


def test_a_contribution_is_added_from_the_goal_page(client, alice, tree, units, metrics):
    billing = make_goal(
        alice,
        units["billing"],
        metrics["csat"],
        title="Billing goal",
        level=L.DEPARTMENT,
        parent=tree["org"],
        start="80",
        target="90",
    )
    client.force_login(alice)
    url = f"/goals/{tree['claims'].pk}/contributions/"
    assert client.post(url, {"to_goal": billing.pk, "weight": "35"}).status_code == 302
    assert tree["claims"].contributions.get().weight == 35
    assert client.post(url, {"to_goal": tree["org"].pk, "weight": "35"}).status_code == 302
    assert tree["claims"].contributions.count() == 1
    page = client.get(f"/goals/{billing.pk}/").content.decode()
    assert "Claims goal" in page and "35 %" in page

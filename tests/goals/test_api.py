"""/api/v1/goals/: the tree, filters, linked pilots and progress; who may read and write."""

from datetime import date

import pytest

from goals.models import Goal, GoalLevel
from goals.services import contribution_add, pilot_goals_set
from tests.goals.conftest import make_goal, make_pilot

L = GoalLevel
URL = "/api/v1/goals/"


@pytest.fixture
def tree(alice, bob, units, metrics):
    org = make_goal(alice, units["org"], metrics["csat"], title="Org", start="80", target="90")
    claims = make_goal(
        alice,
        units["claims"],
        metrics["csat"],
        title="Claims",
        level=L.DEPARTMENT,
        parent=org,
        start="80",
        target="90",
    )
    team_a = make_goal(
        alice,
        units["team_a"],
        metrics["csat"],
        title="Team A",
        level=L.TEAM,
        parent=claims,
        start="80",
        target="90",
    )
    billing = make_goal(
        alice,
        units["billing"],
        metrics["csat"],
        title="Billing",
        level=L.DEPARTMENT,
        parent=org,
        start="80",
        target="90",
        period=(date(2026, 7, 1), date(2026, 12, 31)),
    )
    contribution_add(from_goal=team_a, to_goal=billing, weight=30, by=alice)
    pilot = make_pilot(bob)
    pilot_goals_set(pilot=pilot, goals=[claims], by=bob)
    return {"org": org, "claims": claims, "team_a": team_a, "billing": billing, "pilot": pilot}


def by_title(response) -> dict:
    assert response.status_code == 200, response.content
    return {row["title"]: row for row in response.json()["results"]}


def test_the_list_is_the_tree_depth_first_with_parents_paths_and_children(api, erin, tree):
    api.force_authenticate(erin)
    response = api.get(URL)
    titles = [row["title"] for row in response.json()["results"]]
    assert titles == ["Org", "Billing", "Claims", "Team A"]
    rows = by_title(response)
    t = tree
    assert rows["Team A"]["parent"] == t["claims"].pk and rows["Team A"]["depth"] == 2
    assert rows["Team A"]["path"] == [t["org"].pk, t["claims"].pk, t["team_a"].pk]
    assert rows["Org"]["children"] == sorted([t["claims"].pk, t["billing"].pk])
    assert rows["Team A"]["contributes_to"] == [{"goal": t["billing"].pk, "weight": "30.00"}]
    assert rows["Claims"]["pilots"] == [t["pilot"].pk]
    assert rows["Claims"]["org_unit_external_id"] == "CLAIMS" and rows["Org"]["metric"] == "csat"
    assert rows["Org"]["progress"] == {
        "percent": None,
        "source": None,
        "measured_percent": None,
        "rolled_up_percent": None,
        "current_value": None,
        "period_start": None,
        "period_end": None,
        "observations": None,
    }


def test_filters_by_org_unit_with_its_subtree_and_by_period(api, erin, tree):
    api.force_authenticate(erin)
    assert set(by_title(api.get(URL, {"org_unit": "CLAIMS"}))) == {"Claims", "Team A"}
    assert set(by_title(api.get(URL, {"period_to": "2026-03-01"}))) == {"Org", "Claims", "Team A"}
    assert set(by_title(api.get(URL, {"period_from": "2026-08-01", "level": "department"}))) == {
        "Claims",
        "Billing",
    }
    assert set(by_title(api.get(URL, {"root": "true"}))) == {"Org"}
    assert set(by_title(api.get(URL, {"pilot": tree["pilot"].pk}))) == {"Claims"}
    assert set(by_title(api.get(URL, {"parent": tree["org"].pk}))) == {"Claims", "Billing"}


@pytest.mark.parametrize(
    "query",
    [
        {"org_unit": "NOPE"},
        {"period_from": "yesterday"},
        {"period_to": "2026-02-30"},
        {"level": "galaxy"},
        {"parent": "x"},
        {"parent": str(2**64)},
        {"root": "maybe"},
        {"page_size": "0"},
    ],
)
def test_bad_filters_are_a_400_with_the_field(api, erin, tree, query):
    api.force_authenticate(erin)
    response = api.get(URL, query)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"


def test_the_list_costs_the_same_number_of_queries_at_any_size(
    api, erin, alice, tree, units, metrics, django_assert_num_queries
):
    api.force_authenticate(erin)
    api.get(URL)  # warm the role cache of the session user

    # 1 count and 2 page of goals (with org unit, owner, metric, pilot joined), prefetches of
    # 3 children, 4 contributions and 5 pilots, and the progress book: 6 goals, 7 links and
    # 8 the measurements (one recursive query)
    with django_assert_num_queries(8):
        assert api.get(URL).status_code == 200
    for n in range(15):
        make_goal(
            alice,
            units["team_b"],
            metrics["csat"],
            title=f"More {n}",
            level=L.TEAM,
            parent=tree["claims"],
            start="80",
            target="90",
        )
    with django_assert_num_queries(8):
        assert len(api.get(URL).json()["results"]) == 19


def test_a_login_without_a_role_reads_no_goals(api, mallory, tree):
    api.force_authenticate(mallory)
    assert api.get(URL).json()["count"] == 0
    assert api.get(f"{URL}{tree['org'].pk}/").status_code == 404


def test_machine_clients_read_with_the_goals_scope_and_never_write(client_with_scopes, tree, units):
    reader = client_with_scopes("goals:read")
    assert reader.get(URL).json()["count"] == 4
    assert client_with_scopes("people:read").get(URL).status_code == 403
    body = {"title": "x", "level": "team", "org_unit_external_id": "TEAM-A"}
    assert reader.post(URL, body, format="json").status_code == 403
    assert reader.delete(f"{URL}{tree['team_a'].pk}/").status_code == 403


def goal_body(**extra):
    return {
        "title": "Faster answers in team B",
        "level": "team",
        "org_unit_external_id": "TEAM-B",
        "owner_external_id": "P-DAN",
        "period_start": "2026-02-01",
        "period_end": "2026-06-30",
        "metric": "handling",
        "start_value": "14",
        "target_value": "11.5",
        **extra,
    }


def test_a_department_head_creates_edits_and_deletes_goals_in_their_department(
    api, dan, heads, tree
):
    api.force_authenticate(dan)
    created = api.post(URL, goal_body(parent=tree["claims"].pk), format="json")
    assert created.status_code == 201, created.content
    goal_id = created.json()["id"]
    assert created.json()["path"] == [tree["org"].pk, tree["claims"].pk, goal_id]
    patched = api.patch(f"{URL}{goal_id}/", {"target_value": "10"}, format="json")
    assert patched.status_code == 200 and patched.json()["target_value"] == "10.0000"
    assert api.delete(f"{URL}{goal_id}/").status_code == 204
    assert not Goal.objects.filter(pk=goal_id).exists()


def test_a_head_is_refused_outside_their_subtree(api, dan, heads, tree):
    api.force_authenticate(dan)
    response = api.post(URL, goal_body(org_unit_external_id="TEAM-C"), format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert (
        api.patch(f"{URL}{tree['billing'].pk}/", {"title": "Mine now"}, format="json").status_code
        == 403
    )
    assert Goal.objects.get(pk=tree["billing"].pk).title == "Billing"


def test_deleting_a_goal_with_sub_goals_is_a_409(api, alice, tree):
    api.force_authenticate(alice)
    response = api.delete(f"{URL}{tree['claims'].pk}/")
    assert response.status_code == 409 and response.json()["code"] == "goal_has_children"


@pytest.mark.parametrize(
    "bad",
    [
        {"start_value": "1e40"},
        {"start_value": "NaN"},
        {"target_value": "14"},
        {"metric": "no-such-metric"},
        {"owner_external_id": "NOBODY"},
        {"parent": "abc"},
        {"parent": 999999},
        {"level": "empire"},
        {"period_end": "2026-01-01"},
        {"title": ""},
        {"title": "x" * 201},
        {"pilot": 2**63},
    ],
)
def test_bad_goal_input_is_a_400_and_writes_nothing(api, alice, tree, bad):
    api.force_authenticate(alice)
    before = Goal.objects.count()
    response = api.post(URL, goal_body(**bad), format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid" and Goal.objects.count() == before


def test_contributions_are_added_and_removed_through_the_goal(api, alice, tree):
    api.force_authenticate(alice)
    link = f"{URL}{tree['claims'].pk}/contributions/"
    added = api.post(link, {"to_goal": tree["billing"].pk, "weight": "25"}, format="json")
    assert added.status_code == 200, added.content
    assert {"goal": tree["billing"].pk, "weight": "25.00"} in added.json()["contributes_to"]
    inside = api.post(link, {"to_goal": tree["team_a"].pk, "weight": "25"}, format="json")
    assert inside.status_code == 400 and "to_goal" in inside.json()["fields"]
    assert (
        api.post(link, {"to_goal": tree["billing"].pk, "weight": "0"}, format="json").status_code
        == 400
    )
    assert api.delete(f"{link}{tree['billing'].pk}/").status_code == 204
    assert api.delete(f"{link}{tree['billing'].pk}/").status_code == 404


def test_the_schema_documents_the_goals_endpoints(api, alice):
    api.force_authenticate(alice)
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert (
        "/api/v1/goals/" in schema["paths"]
        and "/api/v1/goals/{id}/contributions/" in schema["paths"]
    )
    goal = schema["components"]["schemas"]["Goal"]["properties"]
    assert {"parent", "depth", "path", "children", "pilots", "progress"} <= set(goal)

"""The cycles/ and opportunities/ API: same services and visibility as the pages, stage
actions as POSTs, machine clients read only, stable error shapes, constant query counts."""

import pytest

from coaching import services
from coaching.models import Cycle, Opportunity, Stage
from hrapi.models import SCOPES

from .conftest import make_pilot, make_workgroup, run_full_cycle

pytestmark = pytest.mark.django_db

CYCLES = "/api/v1/cycles/"
OPPORTUNITIES = "/api/v1/opportunities/"


@pytest.fixture
def cycle(workgroup, carol):
    return services.cycle_start(workgroup=workgroup, by=carol)


@pytest.fixture
def as_carol(api, carol):
    api.force_authenticate(carol)
    return api


def test_the_supervisor_runs_a_whole_cycle_over_the_api(as_carol, workgroup, erin):
    started = as_carol.post(CYCLES, {"workgroup": workgroup.pk})
    assert started.status_code == 201, started.json()
    url = f"{CYCLES}{started.json()['id']}/"
    assert as_carol.post(f"{url}data/", {"data_sought": "Queue age"}).status_code == 200
    assert as_carol.post(f"{url}complete-stage/", {"stage": "data"}).json()["stage"] == "action"
    action = as_carol.post(
        f"{url}actions/",
        {"description": "Lunch with billing", "kind": "relationship", "owner": "P-ERIN"},
    )
    assert action.status_code == 201 and action.json()["owner"] == "P-ERIN"
    as_carol.post(f"{url}complete-stage/", {"stage": "action"})
    as_carol.post(f"{url}reflection/", {"learned": "Billing is friendly", "confidence": 8})
    as_carol.post(f"{url}complete-stage/", {"stage": "reflection"})
    as_carol.post(f"{url}adaptation/", {"changes_next": "Weekly lunch"})
    body = as_carol.post(f"{url}complete-stage/", {"stage": "adaptation"}).json()
    assert body["stage"] == "completed" and body["adaptation_done_at"]
    assert [a["kind"] for a in body["actions"]] == ["relationship"]
    following = as_carol.post(CYCLES, {"workgroup": workgroup.pk}).json()
    assert (following["number"], following["starting_point"]) == (2, "Weekly lunch")


def test_skipping_a_stage_is_a_409_with_a_code(as_carol, cycle):
    answer = as_carol.post(f"{CYCLES}{cycle.pk}/complete-stage/", {"stage": "reflection"})
    assert answer.status_code == 409
    assert answer.json()["code"] == "stage_skipped"


def test_reopening_a_stage_is_a_409(as_carol, cycle):
    as_carol.post(f"{CYCLES}{cycle.pk}/data/", {"data_sought": "x"})
    as_carol.post(f"{CYCLES}{cycle.pk}/complete-stage/", {"stage": "data"})
    answer = as_carol.post(f"{CYCLES}{cycle.pk}/complete-stage/", {"stage": "data"})
    assert (answer.status_code, answer.json()["code"]) == (409, "stage_already_done")


def test_an_incomplete_stage_is_a_400_naming_the_missing_fields(as_carol, cycle):
    answer = as_carol.post(f"{CYCLES}{cycle.pk}/complete-stage/", {})
    assert answer.status_code == 400
    assert answer.json()["code"] == "stage_incomplete"
    assert "data_sought" in answer.json()["fields"]


@pytest.mark.parametrize(
    "body",
    [{}, {"workgroup": "abc"}, {"workgroup": -3}, []],
)
def test_bad_start_input_is_a_400(as_carol, body):
    answer = as_carol.post(CYCLES, body, format="json")
    assert answer.status_code == 400 and answer.json()["code"] == "invalid"


@pytest.mark.parametrize("confidence", [11, -1, "high"])
def test_bad_confidence_is_a_400(as_carol, cycle, confidence):
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.REFLECTION)
    answer = as_carol.post(
        f"{CYCLES}{cycle.pk}/reflection/", {"learned": "x", "confidence": confidence}
    )
    assert answer.status_code == 400 and "confidence" in answer.json()["fields"]


def test_opportunities_move_found_to_addressed_and_never_back(as_carol, cycle):
    found = as_carol.post(
        OPPORTUNITIES,
        {
            "cycle": cycle.pk,
            "title": "Paper forms",
            "estimated_value": "3000.00",
            "estimated_efficiency": "12",
            "efficiency_unit": "hours",
        },
    )
    assert found.status_code == 201 and found.json()["status"] == "found"
    url = f"{OPPORTUNITIES}{found.json()['id']}/"
    addressed = as_carol.post(f"{url}address/", {"realised_value": "2500"})
    assert addressed.json()["status"] == "addressed"
    assert addressed.json()["addressed_in"] == cycle.pk
    answer = as_carol.post(f"{url}drop/", {"reason": "Changed our minds"})
    assert (answer.status_code, answer.json()["code"]) == (409, "opportunity_closed")


def test_dropping_needs_a_reason(as_carol, cycle, carol):
    opportunity = services.opportunity_add(cycle=cycle, by=carol, title="x")
    answer = as_carol.post(f"{OPPORTUNITIES}{opportunity.pk}/drop/", {})
    assert answer.status_code == 400 and "reason" in answer.json()["fields"]


def test_lists_filter_by_workgroup_pilot_and_stage(as_carol, workgroup, carol):
    run_full_cycle(workgroup, carol)
    services.cycle_start(workgroup=workgroup, by=carol)
    assert as_carol.get(CYCLES, {"stage": "completed"}).json()["count"] == 1
    assert as_carol.get(CYCLES, {"workgroup": workgroup.pk}).json()["count"] == 2
    assert as_carol.get(CYCLES, {"pilot": workgroup.pilot_id + 100}).json()["count"] == 0
    assert as_carol.get(CYCLES, {"stage": "nonsense"}).status_code == 400
    assert as_carol.get(CYCLES, {"page": "abc"}).status_code == 400


# -- who may read and write -----------------------------------------------------------------

READ = {"carol": 200, "bob": 200, "alice": 200, "dan": 404, "erin": 404, "mallory": 404}
WRITE = {"carol": 200, "bob": 403, "alice": 403, "dan": 404, "erin": 404, "mallory": 404}


@pytest.mark.parametrize("username", READ)
def test_reading_a_cycle_is_for_the_coach_the_sponsor_and_the_portfolio(
    api, request, username, cycle, other_workgroup, alice, mallory
):
    api.force_authenticate(request.getfixturevalue(username))
    assert api.get(f"{CYCLES}{cycle.pk}/").status_code == READ[username]
    listed = [c["id"] for c in api.get(CYCLES).json()["results"]]
    assert (cycle.pk in listed) == (READ[username] == 200)


@pytest.mark.parametrize("username", WRITE)
def test_only_the_supervisor_writes_a_cycle(
    api, request, username, cycle, other_workgroup, alice, mallory
):
    api.force_authenticate(request.getfixturevalue(username))
    answer = api.post(f"{CYCLES}{cycle.pk}/data/", {"data_sought": "mine"})
    assert answer.status_code == WRITE[username]
    if answer.status_code == 403:
        assert answer.json()["code"] == "permission_denied"


def test_a_sponsor_cannot_start_a_cycle(api, bob, workgroup):
    api.force_authenticate(bob)
    assert api.post(CYCLES, {"workgroup": workgroup.pk}).status_code == 403


def test_a_supervisor_cannot_start_another_groups_cycle(api, dan, workgroup):
    api.force_authenticate(dan)
    assert api.post(CYCLES, {"workgroup": workgroup.pk}).status_code == 404


def test_machine_clients_with_pilots_read_read_everything(client_with_scopes, cycle, carol):
    services.opportunity_add(cycle=cycle, by=carol, title="x")
    machine = client_with_scopes("pilots:read")
    assert machine.get(CYCLES).json()["count"] == 1
    assert machine.get(f"{CYCLES}{cycle.pk}/").status_code == 200
    assert machine.get(OPPORTUNITIES).json()["count"] == 1


def test_machine_clients_never_write_whatever_their_scopes(client_with_scopes, cycle):
    machine = client_with_scopes(*SCOPES)
    answer = machine.post(f"{CYCLES}{cycle.pk}/abandon/", {"reason": "robot"})
    assert answer.status_code == 403
    assert "never act on pilots, cycles or opportunities" in answer.json()["message"]


def test_machine_clients_without_the_scope_are_refused(client_with_scopes, cycle):
    assert client_with_scopes("people:read").get(CYCLES).status_code == 403


def test_anonymous_callers_are_refused(api, cycle):
    assert api.get(CYCLES).status_code in (401, 403)


# -- constant queries -----------------------------------------------------------------------


def _history(bob, carol, cycles: int) -> None:
    workgroup = make_workgroup(make_pilot(bob), carol, members=[])
    for _ in range(cycles):
        cycle = run_full_cycle(workgroup, carol)
        Opportunity.objects.create(workgroup=workgroup, found_in=cycle, title="o")


@pytest.mark.parametrize("cycles", [1, 6])
def test_the_cycle_list_costs_the_same_whatever_its_length(
    client_with_scopes, bob, carol, django_assert_num_queries, cycles
):
    _history(bob, carol, cycles)
    machine = client_with_scopes("pilots:read")
    # token lookup, token last-used update, count, page, actions with owners, observations
    with django_assert_num_queries(6):
        assert machine.get(CYCLES).json()["count"] == cycles


@pytest.mark.parametrize("cycles", [1, 6])
def test_the_opportunity_list_costs_the_same_whatever_its_length(
    api, bob, carol, django_assert_num_queries, cycles
):
    _history(bob, carol, cycles)
    api.force_authenticate(bob)
    # two permission reads (portfolio right), count, page
    with django_assert_num_queries(4):
        assert api.get(OPPORTUNITIES).json()["count"] == cycles

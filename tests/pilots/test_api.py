"""The pilots API: shapes, filters, writes through the services, lifecycle actions and
their errors, machine clients, and constant queries on the lists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hrapi.models import SCOPES
from pilots.models import Pilot, PilotStatus
from tests.pilots.conftest import (
    approve,
    complete_charter,
    make_pilot,
    make_workgroup,
    running_pilot,
)

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Claims",
    "approach": "work_redefinition",
    "vision": "v",
    "pain_point": "p",
    "demonstration_project": "d",
    "planned_start": "2027-01-04",
    "review_date": "2027-07-05",
    "patience_horizon_weeks": 26,
}


def test_a_pilot_reads_with_its_workgroups_supervisor_and_members(api, bob, pilot, workgroup):
    api.force_authenticate(bob)
    body = api.get(f"/api/v1/pilots/{pilot.pk}/").json()
    assert body["sponsor"] == "P-BOB" and body["status"] == "draft"
    assert body["workgroups"] == [
        {
            "id": workgroup.pk,
            "pilot": pilot.pk,
            "name": "Triage",
            "supervisor": "P-CAROL",
            "members": ["P-ERIN"],
            "cadence_days": 14,
            "charter_signed": False,
            "charter_complete": False,
            "self_containment_score": 100,
        }
    ]


def test_the_list_filters_like_the_page(api, alice, bob):
    make_pilot(bob, name="Redefine claims")
    make_pilot(alice, name="Redesign billing", approach="job_redesign")
    api.force_authenticate(alice)
    names = [p["name"] for p in api.get("/api/v1/pilots/?sponsor=P-BOB").json()["results"]]
    assert names == ["Redefine claims"]
    assert api.get("/api/v1/pilots/?status=nonsense").status_code == 400


def test_a_leader_creates_a_draft_and_status_is_ignored(api, bob):
    api.force_authenticate(bob)
    response = api.post("/api/v1/pilots/", {**NEW, "status": "running"})
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "draft" and response.json()["sponsor"] == "P-BOB"


def test_a_leader_without_portfolio_right_cannot_name_another_sponsor(api, bob, alice):
    api.force_authenticate(bob)
    response = api.post("/api/v1/pilots/", {**NEW, "sponsor": "P-ALICE"})
    assert response.status_code == 403 and not Pilot.objects.exists()


def test_a_portfolio_leader_names_the_sponsor(api, alice, bob):
    api.force_authenticate(alice)
    assert api.post("/api/v1/pilots/", {**NEW, "sponsor": "P-BOB"}).json()["sponsor"] == "P-BOB"


def test_bad_input_is_a_400_with_fields(api, bob):
    api.force_authenticate(bob)
    body = api.post("/api/v1/pilots/", {**NEW, "review_date": "2026-01-01"}).json()
    assert body["code"] == "invalid" and "review_date" in body["fields"]
    body = api.post("/api/v1/pilots/", {"name": "x" * 500, "approach": "magic"}).json()
    assert {"name", "approach", "vision"} <= set(body["fields"])


def test_patch_never_moves_status_or_sponsor(api, bob, alice, pilot):
    api.force_authenticate(bob)
    body = {"name": "Renamed", "status": "scaled", "sponsor": "P-ALICE", "premature_stop": True}
    assert api.patch(f"/api/v1/pilots/{pilot.pk}/", body).status_code == 200
    pilot.refresh_from_db()
    assert (pilot.name, pilot.status, pilot.sponsor_id) == ("Renamed", "draft", bob.person.pk)


def test_a_running_pilot_can_no_longer_be_edited(api, bob, carol):
    pilot = running_pilot(bob, carol)
    api.force_authenticate(bob)
    response = api.patch(f"/api/v1/pilots/{pilot.pk}/", {"name": "Late"})
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


def test_the_lifecycle_runs_over_the_api(api, alice, bob, carol, org, pilot, workgroup):
    complete_charter(workgroup, bob, carol)
    url = f"/api/v1/pilots/{pilot.pk}"
    api.force_authenticate(alice)  # a portfolio leader other than the sponsor approves
    assert api.post(f"{url}/approve/", {}).json()["status"] == "approved"
    api.force_authenticate(bob)
    assert api.post(f"{url}/start/", {}).json()["status"] == "running"
    assert api.post(f"{url}/review/", {}).json()["status"] == "reviewing"
    body = {"decision": "scale", "lessons_learned": "It works", "spread_to": [org.external_id]}
    assert api.post(f"{url}/decide/", body).json()["status"] == "scaled"


def test_an_invalid_move_is_a_409(api, bob, pilot):
    api.force_authenticate(bob)
    response = api.post(f"/api/v1/pilots/{pilot.pk}/review/", {})
    assert response.status_code == 409
    assert response.json()["message"].startswith("Cannot begin review a pilot that is draft")


def test_an_early_stop_without_reason_is_a_400_naming_the_field(api, bob, carol):
    pilot = running_pilot(bob, carol, at=timezone.now() - timedelta(weeks=2))
    api.force_authenticate(bob)
    response = api.post(f"/api/v1/pilots/{pilot.pk}/stop/", {})
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = api.post(f"/api/v1/pilots/{pilot.pk}/stop/", {"reason": "Merged"})
    assert response.json()["premature_stop"] is True


def test_starting_with_an_open_charter_is_a_409(api, bob, pilot, workgroup):
    approve(pilot, bob)
    api.force_authenticate(bob)
    response = api.post(f"/api/v1/pilots/{pilot.pk}/start/", {})
    assert response.status_code == 409 and response.json()["code"] == "charters_incomplete"


def test_a_decision_names_unknown_org_units_as_a_400(api, bob, carol):
    pilot = running_pilot(bob, carol)
    api.force_authenticate(bob)
    api.post(f"/api/v1/pilots/{pilot.pk}/review/", {})
    body = {"decision": "scale", "lessons_learned": "x", "spread_to": ["NOPE"]}
    response = api.post(f"/api/v1/pilots/{pilot.pk}/decide/", body)
    assert response.status_code == 400 and "spread_to" in response.json()["fields"]


def test_the_sponsor_adds_a_workgroup_over_the_api(api, bob, carol, pilot):
    api.force_authenticate(bob)
    body = {"pilot": pilot.pk, "name": "Intake", "supervisor": "P-CAROL"}
    response = api.post("/api/v1/workgroups/", body)
    assert response.status_code == 201 and response.json()["supervisor"] == "P-CAROL"


def test_machine_clients_read_everything_but_never_write(client_with_scopes, bob, pilot):
    reader = client_with_scopes("pilots:read")
    assert api_names(reader) == ["Claims pilot"]
    writer = client_with_scopes(*SCOPES)  # whatever it holds, a machine acts on no pilot
    assert writer.post("/api/v1/pilots/", NEW).status_code == 403
    assert writer.post(f"/api/v1/pilots/{pilot.pk}/approve/", {}).status_code == 403
    assert pilot.transitions.count() == 0


def api_names(api_client) -> list[str]:
    return [p["name"] for p in api_client.get("/api/v1/pilots/").json()["results"]]


@pytest.mark.parametrize("size", [1, 4])
def test_the_api_list_takes_the_same_queries_whatever_its_size(
    client_with_scopes, bob, carol, erin, dan, django_assert_num_queries, size
):
    for p in range(size):
        pilot = make_pilot(bob, name=f"Pilot {p}")
        for g in range(size):
            make_workgroup(pilot, bob, carol, name=f"G{g}", members=[erin, dan][: min(size, 2)])
    reader = client_with_scopes("pilots:read")
    # token with its client, last-used update, count, pilots, workgroups (with supervisor
    # and charter), memberships with people, ties, competing initiatives
    with django_assert_num_queries(8):
        assert reader.get("/api/v1/pilots/").status_code == 200
    # the same less the pilots
    with django_assert_num_queries(7):
        assert reader.get("/api/v1/workgroups/").status_code == 200
    assert Pilot.objects.filter(status=PilotStatus.DRAFT).count() == size

"""The pilots admin lists, searches and shows history, and never edits past the services."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "pilot",
    "workgroup",
    "charter",
    "pilottransition",
    "scaledecision",
    "runningassignment",
    "tie",
    "competinginitiative",
    "workgroupmember",
]


@pytest.fixture
def staff(admin_user, client):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("model", PAGES)
def test_every_pilots_admin_list_opens_and_searches(staff, workgroup, model):
    assert staff.get(f"/admin/pilots/{model}/?q=Triage").status_code == 200


def test_a_pilots_history_opens_and_it_cannot_be_edited(staff, pilot, workgroup):
    assert staff.get(f"/admin/pilots/pilot/{pilot.pk}/history/").status_code == 200
    response = staff.post(f"/admin/pilots/pilot/{pilot.pk}/change/", {"status": "scaled"})
    pilot.refresh_from_db()
    assert response.status_code in {200, 403} and pilot.status == "draft"

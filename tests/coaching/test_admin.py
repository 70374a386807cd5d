"""The coaching admin lists and shows every model but never edits cycles or opportunities."""

import pytest
from django.contrib.auth.models import User

from coaching import services
from coaching.models import Reminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = User.objects.create_superuser("root", "root@example.com", "root-pw-123!")
    client.force_login(user)
    return client


def test_each_coaching_list_and_page_opens(staff, workgroup, carol):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    opportunity = services.opportunity_add(cycle=cycle, by=carol, title="Shared drive")
    reminder = Reminder.objects.create(
        kind="overdue",
        recipient=carol.person,
        workgroup=workgroup,
        for_date="2026-11-24",
        message="due",
    )
    for name, obj in [("cycle", cycle), ("opportunity", opportunity), ("reminder", reminder)]:
        assert staff.get(f"/admin/coaching/{name}/").status_code == 200
        assert staff.get(f"/admin/coaching/{name}/{obj.pk}/change/").status_code == 200
    assert staff.get("/admin/coaching/cycleaction/").status_code == 200


def test_cycles_cannot_be_added_or_edited_in_the_admin(staff, workgroup, carol):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    assert staff.get("/admin/coaching/cycle/add/").status_code == 403
    staff.post(f"/admin/coaching/cycle/{cycle.pk}/change/", {"stage": "completed"})
    cycle.refresh_from_db()
    assert cycle.stage == "data"

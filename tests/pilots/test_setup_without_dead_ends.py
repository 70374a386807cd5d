"""Setting up a pilot cannot get stuck: editing keeps what was typed, workgroups change and go
away before the start, conflicts are named when they are made, and the start checklist says
what is left."""

import pytest
from django.urls import reverse

from core.errors import StateConflict
from pilots import services, workgroups
from pilots.models import Charter, Pilot, PilotStatus, Workgroup
from tests.pilots.conftest import complete_charter, make_pilot, make_workgroup, running_pilot


def _edit_data(page: str) -> dict:
    """What the browser would send back from the edit form, untouched."""
    import re

    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        data[name] = value
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\s*([^<]*)</textarea>', page):
        data[name] = text
    data["approach"] = "work_redefinition"
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_saving_the_edit_form_untouched_keeps_the_dates(client, bob, pilot):
    client.force_login(bob)
    page = client.get(reverse("pilots:edit", args=[pilot.pk])).content.decode()
    assert 'value="2026-12-01"' in page  # a date input shows only ISO dates
    response = client.post(reverse("pilots:edit", args=[pilot.pk]), _edit_data(page))
    assert response.status_code == 302
    assert Pilot.objects.get(pk=pilot.pk).planned_start == pilot.planned_start


def test_a_running_pilot_offers_no_edit_and_its_edit_page_says_why(client, bob, carol):
    pilot = running_pilot(bob, carol)
    client.force_login(bob)
    assert (
        reverse("pilots:edit", args=[pilot.pk])
        not in client.get(f"/pilots/{pilot.pk}/").content.decode()
    )
    response = client.get(reverse("pilots:edit", args=[pilot.pk]), follow=True)
    assert "plan is settled" in response.content.decode()


def test_a_workgroup_is_renamed_and_its_cadence_changed(bob, pilot, workgroup):
    workgroups.workgroup_update(workgroup=workgroup, by=bob, name="Intake", cadence_days=7)
    workgroup.refresh_from_db()
    assert (workgroup.name, workgroup.cadence_days) == ("Intake", 7)


def test_a_new_supervisor_signs_afresh(
    bob, carol, dan, pilot, workgroup, mailoutbox, django_capture_on_commit_callbacks
):
    complete_charter(workgroup, bob, carol)
    with django_capture_on_commit_callbacks(execute=True):
        workgroups.workgroup_update(workgroup=workgroup, by=bob, supervisor=dan.person)
    charter = Charter.objects.get(workgroup=workgroup)
    assert charter.signed_at is None and charter.assurance_confirmed_at is None
    assert any(
        "Sign your supervisor charter" in m.subject and m.to == [dan.email] for m in mailoutbox
    )


def test_the_supervisor_is_fixed_once_the_pilot_runs(bob, carol, dan):
    pilot = running_pilot(bob, carol)
    group = pilot.workgroups.get()
    with pytest.raises(StateConflict, match="no longer changes"):
        workgroups.workgroup_update(workgroup=group, by=bob, supervisor=dan.person)
    workgroups.workgroup_update(workgroup=group, by=bob, cadence_days=21)  # cadence still may


def test_a_workgroup_is_removed_before_the_start_only(client, bob, carol, pilot, workgroup):
    client.force_login(bob)
    client.post(reverse("pilots:workgroup_remove", args=[workgroup.pk]), {"confirm": "on"})
    assert not Workgroup.objects.filter(pk=workgroup.pk).exists()
    running = running_pilot(bob, carol, name="Other")
    with pytest.raises(StateConflict):
        workgroups.workgroup_remove(workgroup=running.workgroups.get(), by=bob)


def test_a_member_in_another_running_pilot_is_named_at_add_time(client, bob, carol, dan, erin):
    running_pilot(bob, carol, members=[erin], name="Claims")
    draft = make_pilot(bob, name="Billing")
    group = make_workgroup(draft, bob, dan)
    client.force_login(bob)
    response = client.post(
        reverse("pilots:member_add", args=[group.pk]), {"person": erin.person.pk}, follow=True
    )
    page = response.content.decode()
    assert "Erin" in page or erin.person.full_name in page
    assert "already in the running pilot “Claims”" in page
    assert 'data-check="seats" data-ok="no"' in page  # and the checklist keeps saying so


def test_the_start_checklist_lists_what_is_left_and_start_waits_for_it(
    client, bob, pilot, workgroup
):
    pilot.status = PilotStatus.APPROVED
    pilot.save(update_fields=["status"])
    client.force_login(bob)
    page = client.get(f"/pilots/{pilot.pk}/").content.decode()
    assert 'data-check="charters" data-ok="no"' in page
    assert 'data-check="assurance" data-ok="no"' in page
    assert 'data-move="start"' not in page
    assert "Start becomes available" in page


def test_approval_needs_a_workgroup_and_a_recorded_acknowledgement_when_low(
    alice, bob, carol, pilot
):
    with pytest.raises(StateConflict, match="at least one workgroup"):
        services.pilot_approve(pilot=pilot, by=alice)
    group = make_workgroup(pilot, bob, carol)
    for counterpart in ["Legal", "Finance"]:
        workgroups.tie_add(
            workgroup=group, by=bob, counterpart=counterpart, frequency=4, strength=3
        )
    with pytest.raises(Exception, match="below 50") as caught:
        services.pilot_approve(pilot=pilot, by=alice)
    assert caught.value.code == "acknowledgement_required"
    services.pilot_approve(pilot=pilot, by=alice, acknowledge_low_containment=True)
    pilot = Pilot.objects.get(pk=pilot.pk)
    assert pilot.status == PilotStatus.APPROVED and pilot.containment_acknowledged_score < 50
    assert pilot.containment_acknowledged_by == alice
    assert "acknowledged" in pilot.transitions.get().reason


def test_stop_and_review_ask_for_confirmation(client, bob, carol):
    pilot = running_pilot(bob, carol)
    client.force_login(bob)
    response = client.post(reverse("pilots:move", args=[pilot.pk, "review"]), {"reason": ""})
    assert response.status_code == 400 and "Tick the box" in response.content.decode()
    page = client.get(f"/pilots/{pilot.pk}/").content.decode()
    assert "data-horizon-warning" in page
    client.post(reverse("pilots:move", args=[pilot.pk, "review"]), {"confirm": "on"})
    assert Pilot.objects.get(pk=pilot.pk).status == PilotStatus.REVIEWING

"""The pilot pages' person pickers (sponsor, supervisor, member): no page lists the
directory, the chosen person or an exact external id is taken, and an unknown person is a
form error that keeps the rest of the input."""

import pytest
from django.urls import reverse

from people.models import Person
from pilots.models import Pilot
from tests.pilots.conftest import make_workgroup
from tests.pilots.test_pages import _pilot_form

pytestmark = pytest.mark.django_db


def _directory(n, org):
    Person.objects.bulk_create(
        Person(external_id=f"D{i:05d}", full_name=f"Directory Person {i}", org_unit=org)
        for i in range(n)
    )


@pytest.mark.parametrize("people", [0, 300])
def test_the_new_pilot_form_costs_the_same_whatever_the_directory_size(
    client, alice, org, django_assert_num_queries, people
):
    _directory(people, org)
    client.force_login(alice)
    # session, user, user's and groups' permissions (portfolio right: 2), user's person (may
    # create), org units for their select, user's groups (menu), the goals it may serve.
    # No one for the sponsor.
    with django_assert_num_queries(8):
        page = client.get(reverse("pilots:create")).content.decode()
    assert "Directory Person" not in page and 'name="sponsor_search"' in page


def test_a_portfolio_leader_names_a_sponsor_by_external_id_without_javascript(client, alice, bob):
    client.force_login(alice)
    client.post(reverse("pilots:create"), _pilot_form(sponsor="", sponsor_search="P-BOB"))
    assert Pilot.objects.get().sponsor == bob.person


def test_a_chosen_sponsor_arrives_as_an_id_with_its_label(client, alice, bob):
    client.force_login(alice)
    body = _pilot_form(sponsor=str(bob.person.pk), sponsor_search="Bob (P-BOB)")
    client.post(reverse("pilots:create"), body)
    assert Pilot.objects.get().sponsor == bob.person


def test_an_empty_sponsor_means_you_sponsor_it_yourself(client, alice):
    client.force_login(alice)
    client.post(reverse("pilots:create"), _pilot_form(sponsor="", sponsor_search=""))
    assert Pilot.objects.get().sponsor == alice.person


def test_an_unknown_sponsor_is_a_form_error_and_the_rest_is_kept(client, alice):
    client.force_login(alice)
    body = _pilot_form(name="Keep this name", sponsor="", sponsor_search="P-NOBODY")
    response = client.post(reverse("pilots:create"), body)
    page = response.content.decode()
    assert response.status_code == 200 and not Pilot.objects.exists()
    assert "No one has the external id or email “P-NOBODY”" in page
    assert 'value="Keep this name"' in page and 'value="P-NOBODY"' in page


def test_an_inactive_sponsor_is_refused(client, alice, bob):
    Person.objects.filter(pk=bob.person.pk).update(active=False)
    client.force_login(alice)
    page = client.post(reverse("pilots:create"), _pilot_form(sponsor=str(bob.person.pk)))
    assert "Bob (P-BOB) is no longer active" in page.content.decode()
    assert not Pilot.objects.exists()


def test_a_workgroup_supervisor_is_typed_or_chosen(client, bob, carol, dan, pilot):
    client.force_login(bob)
    url = reverse("pilots:workgroup_add", args=[pilot.pk])
    client.post(url, {"name": "Typed", "supervisor_search": "dan@example.com", "cadence_days": 14})
    client.post(url, {"name": "Chosen", "supervisor": carol.person.pk, "cadence_days": 14})
    supervisors = dict(pilot.workgroups.values_list("name", "supervisor__external_id"))
    assert supervisors == {"Typed": "P-DAN", "Chosen": "P-CAROL"}


def test_an_unknown_supervisor_is_shown_again_in_the_workgroup_form(client, bob, pilot):
    client.force_login(bob)
    url = reverse("pilots:workgroup_add", args=[pilot.pk])
    response = client.post(url, {"name": "Intake", "supervisor_search": "Nobody"})
    page = response.content.decode()
    assert response.status_code == 400 and not pilot.workgroups.exists()
    assert "No one has the external id or email “Nobody”" in page
    assert 'value="Intake"' in page and 'value="Nobody"' in page


def test_a_member_is_added_by_external_id_or_chosen_id(client, bob, dan, mallory, workgroup):
    client.force_login(bob)
    url = reverse("pilots:member_add", args=[workgroup.pk])
    client.post(url, {"person_search": "P-DAN"})
    client.post(url, {"person": mallory.person.pk, "person_search": "Mallory (P-MALLORY)"})
    members = set(workgroup.memberships.values_list("person__external_id", flat=True))
    assert members == {"P-ERIN", "P-DAN", "P-MALLORY"}


def test_an_unknown_member_is_refused_with_a_message(client, bob, workgroup):
    client.force_login(bob)
    url = reverse("pilots:member_add", args=[workgroup.pk])
    response = client.post(url, {"person_search": "P-NOBODY"}, follow=True)
    assert "No one has the external id or email “P-NOBODY”" in response.content.decode()
    assert workgroup.memberships.count() == 1


def test_the_pilot_page_lists_no_one_and_each_member_picker_has_its_own_id(
    client, bob, org, pilot, carol, dan
):
    _directory(5, org)
    groups = [make_workgroup(pilot, bob, who, name=who.username) for who in (carol, dan)]
    client.force_login(bob)
    page = client.get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    for group in groups:
        assert f'id="member-{group.pk}-person"' in page
    assert page.count('name="person_search"') == 2 and 'name="supervisor_search"' in page
    assert "Directory Person" not in page

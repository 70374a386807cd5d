"""Granting and withdrawing roles on a person's page: recorded like the access groups'
grants, shown in the person's history with who and why; an HR admin never withdraws their
own HR admin role, and a role an access group grants stays with the identity provider."""

import pytest
from django.contrib.auth.models import User

from core.roles import Role
from hrapi.models import AccessGroup, RoleGrant
from hrapi.services import access_group_set_role, access_roles_sync
from people.models import Person

pytestmark = pytest.mark.django_db


def _roles(user) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def _change(client, external_id, role, change, reason=""):
    return client.post(
        f"/people/{external_id}/roles/", {"role": role, "change": change, "reason": reason}
    )


def test_a_granted_role_is_held_and_appears_in_the_history(client, hilda, erin):
    client.force_login(hilda)
    answer = _change(client, "P-ERIN", "supervisor", "grant", "coaches the claims group")
    assert answer.status_code == 302 and "supervisor" in _roles(erin)
    history = client.get("/people/P-ERIN/history/").content.decode()
    table = history[history.index('id="person-history"') :]
    row = (
        table[: table.index("Supervisor role")].rsplit("<tr", 1)[1]
        + table.split("Supervisor role")[1].split("</tr>")[0]
    )
    assert "<span>Hilda</span>" in row and "Hilda granted" in row  # who, as a person reads it
    assert "coaches the claims group" in row
    assert "Supervisor role" in client.get("/people/P-ERIN/").content.decode()


def test_a_withdrawn_role_is_gone_and_its_withdrawal_in_the_history(client, hilda, carol):
    client.force_login(hilda)
    _change(client, "P-CAROL", "supervisor", "withdraw", "left the pilot")
    assert "supervisor" not in _roles(carol)
    history = client.get("/people/P-CAROL/history/").content.decode()
    assert "withdrawn" in history and "left the pilot" in history


def test_every_role_the_page_offers_can_be_granted(client, hilda, mallory):
    client.force_login(hilda)
    for role in ("leader", "portfolio", "supervisor", "member", "hr_admin"):
        _change(client, "P-MALLORY", role, "grant")
    assert _roles(mallory) == {"leader", "portfolio", "supervisor", "member", "hr_admin"}
    assert RoleGrant.objects.filter(user=mallory, group__isnull=True).count() == 5


def test_an_hr_admin_cannot_withdraw_their_own_hr_admin_role(client, hilda):
    client.force_login(hilda)
    page = client.post(
        "/people/P-HILDA/roles/", {"role": "hr_admin", "change": "withdraw"}, follow=True
    )
    assert "hr_admin" in _roles(hilda)
    assert "You cannot withdraw your own HR admin role" in page.content.decode()


def test_another_hr_admin_may_withdraw_it(client, hilda, erin):
    erin.groups.add(*User.objects.get(pk=hilda.pk).groups.filter(name="hr_admin"))
    client.force_login(erin)
    _change(client, "P-HILDA", "hr_admin", "withdraw")
    assert "hr_admin" not in _roles(hilda)


def test_nobody_grants_themselves_a_role(client, hilda):
    client.force_login(hilda)
    page = client.post(
        "/people/P-HILDA/roles/", {"role": "portfolio", "change": "grant"}, follow=True
    )
    assert "portfolio" not in _roles(hilda) and b"ask another HR admin" in page.content


def test_a_role_from_an_access_group_is_withdrawn_at_the_identity_provider(client, hilda, erin):
    leads = AccessGroup.objects.create(display_name="Pilot leads")
    leads.memberships.create(person=erin.person)
    access_group_set_role(group=leads, role=Role.LEADER.value)
    assert "leader" in _roles(erin)
    client.force_login(hilda)
    page = client.post(
        "/people/P-ERIN/roles/", {"role": "leader", "change": "withdraw"}, follow=True
    )
    assert "leader" in _roles(erin) and b"through the access group Pilot leads" in page.content


def test_a_role_granted_here_survives_the_access_group_letting_go(client, hilda, erin):
    leads = AccessGroup.objects.create(display_name="Pilot leads", role=Role.LEADER.value)
    leads.memberships.create(person=erin.person)
    access_roles_sync(person_ids=[erin.person.pk])
    client.force_login(hilda)
    _change(client, "P-ERIN", "leader", "grant")
    leads.memberships.all().delete()
    access_roles_sync(person_ids=[erin.person.pk])
    assert "leader" in _roles(erin)


def test_someone_without_a_login_is_invited_first(client, hilda, org):
    Person.objects.create(external_id="P-NEW", full_name="Nora New", org_unit=org)
    client.force_login(hilda)
    page = client.post("/people/P-NEW/roles/", {"role": "member", "change": "grant"}, follow=True)
    assert b"has no login yet" in page.content


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "erin"])
def test_only_hr_admins_change_roles(client, request, who, mallory):
    client.force_login(request.getfixturevalue(who))
    assert _change(client, "P-MALLORY", "hr_admin", "grant").status_code == 403
    assert _change(client, "P-MALLORY", "bogus", "grant").status_code == 403
    assert _roles(mallory) == set()


def test_an_unknown_role_is_a_message_not_a_500(client, hilda, mallory):
    client.force_login(hilda)
    page = client.post(
        "/people/P-MALLORY/roles/", {"role": "superuser", "change": "grant"}, follow=True
    )
    assert page.status_code == 200 and b"Choose one of the roles listed" in page.content


def test_the_services_themselves_refuse_anyone_but_an_hr_admin(carol, erin):
    from core.errors import NotAllowed
    from people.services import (
        person_deactivate,
        person_invite,
        person_role_grant,
        person_role_withdraw,
    )

    person = erin.person
    for attempt in (
        lambda: person_role_grant(person=person, role="hr_admin", by=carol),
        lambda: person_role_withdraw(person=person, role="member", by=carol),
        lambda: person_invite(person=person, by=carol),
        lambda: person_deactivate(person=person, by=carol),
    ):
        with pytest.raises(NotAllowed):
            attempt()
    assert _roles(erin) == {"member"} and Person.objects.get(pk=person.pk).active


def test_an_inactive_hr_admin_changes_nothing(hilda, erin):
    from people.permissions import PersonInactive
    from people.services import person_role_grant

    Person.objects.filter(pk=hilda.person.pk).update(active=False)
    with pytest.raises(PersonInactive):
        person_role_grant(person=erin.person, role="leader", by=hilda)

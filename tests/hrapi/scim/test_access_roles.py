"""An HR admin maps an access group to a role on the integrations page; the identity
provider's group pushes then grant and revoke it, never touching a role given by hand."""

import pytest
from django.contrib.auth.models import Group as DjangoGroup

from core.roles import PORTFOLIO_GROUP, Role, is_hr_admin, sees_portfolio
from hrapi.models import AccessGroup, RoleGrant
from hrapi.services import access_group_set_role

pytestmark = pytest.mark.django_db


def _roles(user) -> set[str]:
    return set(type(user).objects.get(pk=user.pk).groups.values_list("name", flat=True))


@pytest.fixture
def leads(scim):
    """An access group the provider pushed, mapped to the leader role."""
    group = scim.post("/Groups", {"displayName": "Pilot leads", "externalId": "okta-leads"})
    access = AccessGroup.objects.get(pk=group.json()["id"])
    return access_group_set_role(group=access, role=Role.LEADER.value)


def _add(scim, group, person):
    response = scim.patch(
        f"/Groups/{group.pk}",
        {"op": "add", "path": "members", "value": [{"value": str(person.pk)}]},
    )
    assert response.status_code == 200, response.content


def _remove(scim, group, person):
    response = scim.patch(
        f"/Groups/{group.pk}", {"op": "remove", "path": f'members[value eq "{person.pk}"]'}
    )
    assert response.status_code == 200, response.content


def test_an_hr_admin_maps_a_group_to_a_role_on_the_integrations_page(client, hilda, erin, scim):
    group = scim.post(
        "/Groups", {"displayName": "Portfolio", "members": [{"value": str(erin.person.pk)}]}
    ).json()
    client.force_login(hilda)
    page = client.get("/integrations/")
    assert b"Access groups" in page.content and b"Portfolio" in page.content
    response = client.post(
        f"/integrations/access-groups/{group['id']}/role/", {"role": "portfolio"}
    )
    assert response.status_code == 302
    assert PORTFOLIO_GROUP in _roles(erin) and sees_portfolio(type(erin).objects.get(pk=erin.pk))
    assert AccessGroup.history.filter(role="portfolio").exists()


def test_only_hr_admins_map_groups(client, alice, leads):
    client.force_login(alice)
    response = client.post(f"/integrations/access-groups/{leads.pk}/role/", {"role": "hr_admin"})
    assert response.status_code == 403 and AccessGroup.objects.get().role == "leader"


def test_an_unknown_role_is_refused(client, hilda, leads):
    client.force_login(hilda)
    client.post(f"/integrations/access-groups/{leads.pk}/role/", {"role": "superuser"})
    assert AccessGroup.objects.get().role == "leader"


def test_a_group_push_grants_and_revokes_the_mapped_role(scim, erin, leads):
    _add(scim, leads, erin.person)
    assert Role.LEADER in _roles(erin)
    _remove(scim, leads, erin.person)
    assert Role.LEADER not in _roles(erin) and Role.MEMBER in _roles(erin)


def test_a_role_granted_by_hand_survives_a_group_removal(scim, bob, leads):
    assert Role.LEADER in _roles(bob)  # given by hand before any group
    _add(scim, leads, bob.person)
    _remove(scim, leads, bob.person)
    assert Role.LEADER in _roles(bob) and RoleGrant.objects.count() == 0


def test_deleting_a_group_revokes_the_roles_it_granted(scim, erin, leads):
    _add(scim, leads, erin.person)
    assert scim.delete(f"/Groups/{leads.pk}").status_code == 204
    assert Role.LEADER not in _roles(erin)
    assert RoleGrant.history.filter(history_type="-").count() == 1


def test_a_role_two_groups_grant_goes_only_with_the_last(scim, erin, leads):
    second = AccessGroup.objects.get(
        pk=scim.post("/Groups", {"displayName": "More leads"}).json()["id"]
    )
    access_group_set_role(group=second, role=Role.LEADER.value)
    _add(scim, leads, erin.person)
    _add(scim, second, erin.person)
    _remove(scim, leads, erin.person)
    assert Role.LEADER in _roles(erin)
    _remove(scim, second, erin.person)
    assert Role.LEADER not in _roles(erin)


def test_unmapping_a_group_revokes_and_mapping_it_grants(scim, erin, leads):
    _add(scim, leads, erin.person)
    access_group_set_role(group=leads, role="")
    assert Role.LEADER not in _roles(erin)
    access_group_set_role(group=leads, role=Role.HR_ADMIN.value)
    assert is_hr_admin(type(erin).objects.get(pk=erin.pk))


def test_deleting_a_user_over_scim_revokes_their_group_roles(scim, erin, leads):
    _add(scim, leads, erin.person)
    assert scim.delete(f"/Users/{erin.person.pk}").status_code == 204
    assert Role.LEADER not in _roles(erin)
    assert not AccessGroup.objects.get().members.exists()


def test_people_without_a_login_are_members_with_nothing_to_grant(scim, leads):
    user = scim.post("/Users", {"userName": "E1"}).json()
    response = scim.patch(
        f"/Groups/{leads.pk}", {"op": "add", "path": "members", "value": [{"value": user["id"]}]}
    )
    assert response.status_code == 200 and RoleGrant.objects.count() == 0
    assert not DjangoGroup.objects.get(name="leader").user_set.exists()

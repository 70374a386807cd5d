"""The permission matrix, web and API alike: role × action × own or another's pilot.

Pilot "A" is bob's (carol coaches it, erin works in it); pilot "B" is sam's (dan coaches it).
Alice holds the portfolio right; hilda is an HR admin; mallory has no role. Allowed actions
succeed; others are refused with 403 (visible) or 404 (not even visible)."""

import pytest
from django.contrib.auth.models import Group, User

from core.roles import Role
from people.models import Person
from tests.pilots.conftest import make_pilot, make_workgroup

pytestmark = pytest.mark.django_db

PRINCIPALS = ["bob", "alice", "carol", "erin", "hilda", "mallory"]
SIGN = {"open_minded": "on", "risk_tolerant": "on", "customer_commitment": "on"}


def _pilot_form(name):
    return {
        "name": name, "approach": "job_redesign", "vision": "v", "pain_point": "p",
        "demonstration_project": "d", "planned_start": "2027-01-04",
        "review_date": "2027-07-05", "patience_horizon_weeks": 26,
        "baseline_window_weeks": 12, "grace_period_days": 90,
    }  # fmt: skip


# action: (channel, method, url(pilot, workgroup), body, who may: set of (principal, side))
ACTIONS = {
    "view page": ("web", "get", lambda p, w: f"/pilots/{p.pk}/", None, "readers"),
    "read api": ("api", "get", lambda p, w: f"/api/v1/pilots/{p.pk}/", None, "readers"),
    "edit page": ("web", "post", lambda p, w: f"/pilots/{p.pk}/edit/", _pilot_form("E"), "sponsor"),
    "patch api": ("api", "patch", lambda p, w: f"/api/v1/pilots/{p.pk}/", {"name": "E"}, "sponsor"),
    "approve page": ("web", "post", lambda p, w: f"/pilots/{p.pk}/move/approve/", {}, "approver"),
    "approve api": ("api", "post", lambda p, w: f"/api/v1/pilots/{p.pk}/approve/", {}, "approver"),
    "add tie": (
        "web", "post", lambda p, w: f"/pilots/workgroups/{w.pk}/ties/",
        {"tie-counterpart": "x"}, "sponsor",
    ),
    "confirm assurance": (
        "web", "post", lambda p, w: f"/pilots/charters/{w.pk}/assurance/", {}, "sponsor"
    ),
    "sign charter": ("web", "post", lambda p, w: f"/pilots/charters/{w.pk}/", SIGN, "supervisor"),
    "add workgroup api": (
        "api", "post", lambda p, w: "/api/v1/workgroups/",
        lambda p: {"pilot": p.pk, "name": "New", "supervisor": "P-DAN"}, "sponsor",
    ),
}  # fmt: skip


def allowed(principal: str, side: str, rule: str) -> bool:
    own = side == "A"
    if rule == "readers":
        return principal == "alice" or (own and principal in {"bob", "carol", "erin"})
    if rule == "sponsor":
        return own and principal == "bob"
    if rule == "approver":  # a portfolio leader other than the sponsor (separation of duties)
        return principal == "alice"
    return own and principal == "carol"  # the workgroup's supervisor


@pytest.fixture
def sides(org, bob, alice, carol, dan, erin, hilda, mallory):
    sam = User.objects.create_user("sam")
    sam.groups.add(Group.objects.get(name=Role.LEADER))
    Person.objects.create(external_id="P-SAM", full_name="Sam", org_unit=org, user=sam)
    pilot_a = make_pilot(bob, name="Pilot A")
    pilot_b = make_pilot(sam, name="Pilot B")
    users = {u.username: u for u in [bob, alice, carol, erin, hilda, mallory]}
    return users, {
        "A": (pilot_a, make_workgroup(pilot_a, bob, carol, members=[erin])),
        "B": (pilot_b, make_workgroup(pilot_b, sam, dan)),
    }


@pytest.mark.parametrize("side", ["A", "B"])
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_the_permission_matrix(client, api, sides, principal, action, side):
    users, by_side = sides
    pilot, workgroup = by_side[side]
    channel, method, url, body, rule = ACTIONS[action]
    body = body(pilot) if callable(body) else body
    if action == "add tie":
        body = {f"tie{workgroup.pk}-counterpart": "Legal", f"tie{workgroup.pk}-frequency": 2,
                f"tie{workgroup.pk}-strength": 1}  # fmt: skip
    caller = client if channel == "web" else api
    caller.force_login(users[principal])
    response = getattr(caller, method)(url(pilot, workgroup), body)
    if allowed(principal, side, rule):
        assert response.status_code in {200, 201, 302}, response.content[:300]
    else:
        assert response.status_code in {403, 404}, response.content[:300]


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_only_leaders_set_up_pilots(client, sides, principal):
    users, _ = sides
    client.force_login(users[principal])
    response = client.post("/pilots/new/", _pilot_form(f"By {principal}"))
    expected = {302} if principal in {"bob", "alice"} else {403}
    assert response.status_code in expected

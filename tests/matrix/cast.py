"""The cast of the authorization matrix, created directly through the models.

Two pilots side by side. Side "A" is the one bob sponsors, carol coaches and erin works in;
side "B" belongs to sonia (sponsor), dan (supervisor) and frank (member). Every object type
exists on both sides, so each role is tried on its own object and on someone else's.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.utils import timezone

from coaching.models import Cycle, Opportunity
from core.roles import Role
from hrapi.models import ApiClient
from hrapi.services import api_client_create
from metrics.models import Baseline, MetricDefinition, Observation, SubjectType
from people.models import OrgUnit, Person
from pilots.models import Charter, Pilot, Workgroup, WorkgroupMember

SIDES = ("A", "B")

# Machine clients, one per scope, plus one holding no scope at all.
CLIENT_SCOPES = [
    "people:read",
    "people:write",
    "metrics:read",
    "metrics:write",
    "pilots:read",
    "scim",
]


@dataclass
class Side:
    pilot: Pilot
    workgroup: Workgroup
    charter: Charter
    cycle: Cycle
    opportunity: Opportunity
    observation: Observation
    baseline: Baseline
    supervisor: Person
    member: Person
    org_unit: OrgUnit
    api_client: ApiClient
    # A draft beside the running pilot (same sponsor, same supervisor), for the moves and
    # writes a running pilot refuses on its state: approval, new workgroups, charters.
    draft: Pilot | None = None
    draft_workgroup: Workgroup | None = None


@dataclass
class Cast:
    users: dict[str, User]
    tokens: dict[str, str]
    metric: MetricDefinition
    sides: dict[str, Side] = field(default_factory=dict)


def _user(username: str, role: str, org_unit: OrgUnit, external_id: str) -> User:
    user = User.objects.create_user(username=username, password=f"{username}-pw-123!")
    user.groups.add(Group.objects.get(name=role))
    Person.objects.create(
        external_id=external_id, full_name=username.capitalize(), org_unit=org_unit, user=user
    )
    return user


def _side(name: str, *, sponsor: Person, supervisor: Person, member: Person, metric) -> Side:
    org_unit = OrgUnit.objects.create(external_id=f"OU-{name}", name=f"Unit {name}", kind="team")
    start = date(2026, 9, 1)
    pilot = Pilot.objects.create(
        name=f"Pilot {name} matrix",
        approach="work_redefinition",
        vision="v",
        pain_point="p",
        demonstration_project="d",
        sponsor=sponsor,
        org_unit=org_unit,
        planned_start=start,
        review_date=start + timedelta(weeks=26),
        status="running",
        started_at=timezone.now() - timedelta(days=60),
    )
    workgroup = Workgroup.objects.create(
        pilot=pilot, name=f"Workgroup {name} matrix", supervisor=supervisor
    )
    WorkgroupMember.objects.create(workgroup=workgroup, person=member)
    charter = Charter.objects.create(workgroup=workgroup)
    cycle = Cycle.objects.create(workgroup=workgroup, number=1)
    opportunity = Opportunity.objects.create(
        workgroup=workgroup, found_in=cycle, title=f"Opportunity {name} matrix"
    )
    observation = Observation.objects.create(
        metric=metric,
        subject_type=SubjectType.PERSON,
        subject_id=supervisor.pk,
        period_start=date(2026, 6, 1),
        period_end=date(2026, 6, 30),
        value=Decimal("41.5"),
        source=f"matrix-{name}",
    )
    baseline = Baseline.objects.create(
        pilot=pilot,
        person=supervisor,
        metric=metric,
        value=Decimal("40"),
        observation_count=3,
        window_start=date(2026, 6, 1),
        window_end=date(2026, 8, 31),
        frozen_at=timezone.now() - timedelta(days=60),
    )
    api_client, _ = api_client_create(name=f"Client {name} matrix", scopes=["people:read"])
    draft = Pilot.objects.create(
        name=f"Draft {name} pilot", approach="job_redesign", vision="v", pain_point="p",
        demonstration_project="d", sponsor=sponsor, org_unit=org_unit,
        planned_start=start + timedelta(weeks=30), review_date=start + timedelta(weeks=56),
    )  # fmt: skip
    draft_workgroup = Workgroup.objects.create(
        pilot=draft, name=f"Draft group {name}", supervisor=supervisor
    )
    Charter.objects.create(workgroup=draft_workgroup)
    return Side(
        pilot, workgroup, charter, cycle, opportunity, observation, baseline,
        supervisor, member, org_unit, api_client, draft, draft_workgroup,
    )  # fmt: skip


def build_cast(users: dict[str, User], org: OrgUnit) -> Cast:
    users = {
        **users,
        "sonia": _user("sonia", Role.LEADER, org, "P-SONIA"),
        "frank": _user("frank", Role.MEMBER, org, "P-FRANK"),
    }
    tokens = {}
    for scope in CLIENT_SCOPES:
        _, tokens[scope] = api_client_create(name=f"matrix {scope}", scopes=[scope])
    metric = MetricDefinition.objects.create(
        key="tickets-closed",
        name="Tickets closed",
        unit="tickets",
        kind="performance",
        direction="higher_is_better",
        aggregation="sum",
    )
    cast = Cast(users=users, tokens=tokens, metric=metric)
    people = {name: user.person for name, user in users.items()}
    cast.sides["A"] = _side(
        "A", sponsor=people["bob"], supervisor=people["carol"], member=people["erin"], metric=metric
    )
    cast.sides["B"] = _side(
        "B", sponsor=people["sonia"], supervisor=people["dan"], member=people["frank"],
        metric=metric,
    )  # fmt: skip
    return cast

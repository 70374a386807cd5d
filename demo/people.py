"""Demo step: an organisation tree, people with managers, and a login for each role."""

import secrets

from django.contrib.auth.models import Group, User

from core.roles import PORTFOLIO_GROUP, Role
from demo.steps import DemoContext
from people.models import OrgUnit, OrgUnitKind, Person
from people.services import person_link_user

FIRST = [
    "Ada",
    "Ben",
    "Chloe",
    "Dev",
    "Elif",
    "Femi",
    "Grace",
    "Hugo",
    "Ines",
    "Jon",
    "Kai",
    "Lena",
    "Mo",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Uma",
    "Viktor",
    "Wen",
    "Xena",
    "Yusuf",
    "Zoe",
    "Aiko",
    "Bruno",
    "Carmen",
    "Dara",
]
LAST = [
    "Abbott",
    "Baker",
    "Costa",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Singh",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
]
DIVISIONS = ["Operations", "Customer Service", "Finance", "Supply Chain"]
DEPARTMENTS = ["Claims", "Billing", "Onboarding", "Logistics", "Planning", "Support", "Quality"]

# (username, roles, person external_id): the demo logins, linked to people the later steps use.
DEMO_LOGINS = [
    ("leader", [Role.LEADER, PORTFOLIO_GROUP], "E00001"),
    ("sponsor", [Role.LEADER], "E00002"),
    ("supervisor", [Role.SUPERVISOR], "E00003"),
    ("supervisor2", [Role.SUPERVISOR], "E00004"),
    ("member", [Role.MEMBER], "E00005"),
    ("hradmin", [Role.HR_ADMIN], "E00006"),
]


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng_for("people")
    teams = _org_units(rng)
    _people(ctx, rng, teams)
    _logins(ctx)


def _org_units(rng) -> list[OrgUnit]:
    specs = [("ORG", "Redefine Demo Corp", OrgUnitKind.DIVISION, None)]
    for d, division in enumerate(DIVISIONS, start=1):
        specs.append((f"DIV{d}", division, OrgUnitKind.DIVISION, "ORG"))
        for p, department in enumerate(rng.sample(DEPARTMENTS, 3), start=1):
            specs.append(
                (f"DEP{d}{p}", f"{division} · {department}", OrgUnitKind.DEPARTMENT, f"DIV{d}")
            )
            for t in range(1, 4):
                specs.append(
                    (f"TEAM{d}{p}{t}", f"{department} team {t}", OrgUnitKind.TEAM, f"DEP{d}{p}")
                )
    existing = {
        u.external_id: u for u in OrgUnit.objects.filter(external_id__in=[s[0] for s in specs])
    }
    for external_id, name, kind, parent_id in specs:  # parents come before children
        if external_id not in existing:
            existing[external_id] = OrgUnit.objects.create(
                external_id=external_id,
                name=name,
                kind=kind,
                parent=existing[parent_id] if parent_id else None,
            )
    return [existing[s[0]] for s in specs if s[2] == OrgUnitKind.TEAM]


def _people(ctx: DemoContext, rng, teams: list[OrgUnit]) -> None:
    """People in bulk: team leads first (managed by the first six), then their reports."""
    known = set(Person.objects.values_list("external_id", flat=True))
    rows = []
    for n in range(1, ctx.people + 1):
        external_id = f"E{n:05d}"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        team = teams[(n - 1) % len(teams)]
        if external_id not in known:
            rows.append(
                Person(
                    external_id=external_id,
                    full_name=f"{first} {last}",
                    org_unit=team,
                    email=f"{first}.{last}.{n}@example.com".lower(),
                )
            )
    Person.objects.bulk_create(rows, batch_size=2000)
    # Managers: each team's first person manages the rest; team leads report to E00001.
    people = list(
        Person.objects.filter(external_id__regex=r"^E\d{5}$")
        .order_by("external_id")
        .only("id", "org_unit_id", "manager_id", "external_id")
    )
    lead_of_team: dict[int, Person] = {}
    changed = []
    for person in people:
        lead = lead_of_team.setdefault(person.org_unit_id, person)
        manager_id = people[0].pk if lead is person else lead.pk
        if person.pk == people[0].pk:
            manager_id = None
        if person.manager_id != manager_id:
            person.manager_id = manager_id
            changed.append(person)
    Person.objects.bulk_update(changed, ["manager"], batch_size=2000)
    ctx.shared["people_ids"] = [p.pk for p in people]
    # Team leads coach the pilot workgroups; the demo supervisors come first.
    leads = [p.pk for p in lead_of_team.values() if p.pk != people[0].pk]
    demo_supervisors = [p.pk for p in people if p.external_id in ("E00003", "E00004")]
    ctx.shared["supervisor_candidates"] = demo_supervisors + [
        pk for pk in leads if pk not in demo_supervisors
    ]


def _logins(ctx: DemoContext) -> None:
    for username, roles, external_id in DEMO_LOGINS:
        user, created = User.objects.get_or_create(username=username)
        if created or ctx.reset_logins:
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.is_staff = Role.HR_ADMIN in roles
            user.save()
            ctx.logins.append((str(roles[0]), username, password))
        user.groups.add(*Group.objects.filter(name__in=[str(r) for r in roles]))
        _link_demo_login(external_id, user)
    ctx.shared["demo_people"] = {
        p.user.username: p
        for p in Person.objects.filter(
            user__username__in=[d[0] for d in DEMO_LOGINS]
        ).select_related("user")
    }


def _link_demo_login(external_id: str, user: User) -> None:
    """The demo's own logins, linked by the system (the one service, so it is in history)."""
    person = Person.objects.filter(external_id=external_id, user__isnull=True).first()
    if person is not None and not Person.objects.filter(user=user).exists():
        person_link_user(person=person, user=user, by=None, reason="Demo login.")

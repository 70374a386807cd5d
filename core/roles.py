"""The four human roles, as Django groups, and the questions views ask about a user."""

from enum import StrEnum


class Role(StrEnum):
    LEADER = "leader"
    SUPERVISOR = "supervisor"
    MEMBER = "member"
    HR_ADMIN = "hr_admin"


# Leaders in this group hold the portfolio right: they see every pilot, not only their own.
PORTFOLIO_GROUP = "portfolio"
# The roles an HR admin grants on the people pages, by group name, as people read them.
GRANTABLE_ROLES = {
    Role.LEADER.value: "Leader",
    PORTFOLIO_GROUP: "Portfolio viewer",
    Role.SUPERVISOR.value: "Supervisor",
    Role.MEMBER.value: "Member",
    Role.HR_ADMIN.value: "HR admin",
}
# Leaders with this permission see every pilot (the portfolio); others see only their own.
PORTFOLIO_PERMISSION = "pilots.view_portfolio"
# HR admins manage people, metric definitions and API clients, and read anyone's metrics.
HR_PERMISSION = "people.manage_people"


def roles_of(user) -> set[Role]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_redefine_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in Role if role.value in names}
        user._redefine_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role in roles_of(user)


def sees_portfolio(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm(PORTFOLIO_PERMISSION))


def is_hr_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm(HR_PERMISSION))


def ensure_role_groups() -> None:
    """Create the role groups with their permissions (run after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    grants = {
        # Leaders act through the pilots rules (pilots/permissions.py), not Django permissions.
        Role.LEADER: [],
        PORTFOLIO_GROUP: ["pilots.view_portfolio"],
        Role.SUPERVISOR: [],
        Role.MEMBER: [],
        Role.HR_ADMIN: [
            "people.manage_people",
            "people.view_person",
            "people.add_person",
            "people.change_person",
            "people.view_orgunit",
            "people.add_orgunit",
            "people.change_orgunit",
            "metrics.view_metricdefinition",
            "metrics.add_metricdefinition",
            "metrics.change_metricdefinition",
            "metrics.view_observation",
            "metrics.add_observation",
            "metrics.view_baseline",
            "hrapi.view_apiclient",
            "hrapi.add_apiclient",
            "hrapi.change_apiclient",
        ],
    }
    for role, perms in grants.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted += list(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        # Exactly these: a permission dropped from the list leaves the group at the next migrate.
        group.permissions.set(wanted)

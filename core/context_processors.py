"""Template context shared by every page: which roles the viewer has."""

from core.roles import Role, is_hr_admin, roles_of, sees_portfolio
from goals.permissions import can_read_goals
from people.permissions import can_list_people


def roles(request):
    user = request.user
    held = roles_of(user)
    return {
        "is_leader": Role.LEADER in held or sees_portfolio(user),
        "sees_portfolio": sees_portfolio(user),
        "is_supervisor": Role.SUPERVISOR in held,
        "is_member": Role.MEMBER in held,
        "is_hr_admin": is_hr_admin(user),
        "lists_people": can_list_people(user),
        "reads_goals": can_read_goals(user),
    }

"""Who may do what with weekly splits — the one home of these rules.

- Writing: a supervisor records their own week in their own session (never someone else's,
  never a machine client). A supervisor is a person with the supervisor role or one who
  coaches a workgroup.
- Reading: everyone their own; HR admins and portfolio leaders everyone's; a pilot's sponsor
  the supervisors of that pilot's workgroups (shown beside their cycles). Machine clients
  read with `people:read` (see weekly/api.py).
"""

from django.db.models import Q

from core.roles import Role, has_role, is_hr_admin, sees_portfolio
from people.models import Person
from pilots.models import Workgroup


def is_supervisor(user) -> bool:
    if not user or not user.is_authenticated or getattr(user, "person", None) is None:
        return False
    if has_role(user, Role.SUPERVISOR):
        return True
    return Workgroup.objects.filter(supervisor=user.person).exists()


def can_record(user, person: Person) -> bool:
    """Only the person themselves, and only as a supervisor."""
    own = getattr(user, "person", None) if user and user.is_authenticated else None
    return own is not None and own.pk == person.pk and own.active and is_supervisor(user)


def reads_everyone(user) -> bool:
    return bool(user and user.is_authenticated) and (is_hr_admin(user) or sees_portfolio(user))


def readable_people(user):
    """None when the user reads everyone's entries, else a queryset of the people they may."""
    if reads_everyone(user):
        return None
    if not user or not user.is_authenticated:
        return Person.objects.none()
    sponsored = Workgroup.objects.filter(pilot__sponsor__user=user).values("supervisor_id")
    return Person.objects.filter(Q(user=user) | Q(pk__in=sponsored))


def can_read(user, person: Person) -> bool:
    if user and user.is_authenticated and person.user_id == user.pk:
        return True  # one's own (compared by key: no query for the viewer's person)
    people = readable_people(user)
    return people is None or people.filter(pk=person.pk).exists()

"""Who may do what with pilots: one function per question, used by services, pages and API.
Which pilots a person may *see* is decided once, in `Pilot.objects.visible_to`."""

from core.roles import Role, has_role, sees_portfolio
from pilots.models import Pilot, Workgroup


def can_view(user, pilot: Pilot) -> bool:
    return Pilot.objects.visible_to(user).filter(pk=pilot.pk).exists()


def can_manage(user, pilot: Pilot) -> bool:
    """The sponsor runs the pilot: edits it, its workgroups, and takes its lifecycle moves."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    person = getattr(user, "person", None)
    return person is not None and pilot.sponsor_id == person.pk


def can_create_pilot(user) -> bool:
    """Leaders sponsor pilots; they need a Person to be the sponsor."""
    if not user or not user.is_authenticated:
        return False
    return user.is_superuser or (has_role(user, Role.LEADER) and hasattr(user, "person"))


def can_choose_sponsor(user) -> bool:
    """A portfolio leader may set up a pilot for another sponsor; other leaders sponsor theirs."""
    return sees_portfolio(user)


def can_sign_charter(user, workgroup: Workgroup) -> bool:
    """Only the workgroup's own supervisor acknowledges its charter."""
    if not user or not user.is_authenticated:
        return False
    person = getattr(user, "person", None)
    return person is not None and workgroup.supervisor_id == person.pk

"""Who may do what with the evidence of a pilot. Seeing it follows the pilot (whoever may see
the pilot sees its effect and the 0–10 trend); choosing the comparison and editing the
follow-up plan is the sponsor's, like every other decision about the pilot."""

from core.roles import is_hr_admin, sees_portfolio
from pilots.models import Pilot
from pilots.permissions import can_manage


def can_choose_comparison(user, pilot: Pilot) -> bool:
    return can_manage(user, pilot)


def can_plan_followups(user, pilot: Pilot) -> bool:
    return can_manage(user, pilot)


def can_read_answers(user, pilot: Pilot) -> bool:
    """The answers' themes (groups of five or more only) are for the sponsor, and for
    portfolio leaders who judge whether to spread the pilot."""
    return can_manage(user, pilot) or sees_portfolio(user)


def can_see_invitations(user) -> bool:
    """HR admins see who was invited and how many answered, never who answered what."""
    return is_hr_admin(user)

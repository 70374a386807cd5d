"""Who may do what with metrics and baselines. Which rows a person reads is decided by the
QuerySets' `visible_to`, built on the same questions as here."""

from pilots.models import Pilot
from pilots.permissions import can_manage


def can_rebaseline(user, pilot: Pilot) -> bool:
    """ "A sponsor may re-baseline with a reason": whoever runs the pilot (its sponsor, or a
    superuser, as for every other decision about the pilot)."""
    return can_manage(user, pilot)

"""Who may do what with coaching cycles and opportunities: the workgroup's own supervisor
runs them, in their own login (the same rule that signs the charter, in pilots.permissions)."""

from pilots.models import Workgroup
from pilots.permissions import is_supervisor_of


def can_coach(user, workgroup: Workgroup) -> bool:
    """Start and log cycles, find, address and drop opportunities."""
    return is_supervisor_of(user, workgroup)

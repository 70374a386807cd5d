"""Who may do what with coaching cycles and opportunities: the workgroup's own supervisor
runs them, in their own login (the same rule that signs the charter, in pilots.permissions).
Services, views and templates all ask here."""

from coaching.models import Cycle, Stage
from pilots.models import Workgroup
from pilots.permissions import is_supervisor_of


def can_coach(user, workgroup: Workgroup) -> bool:
    """Start and log cycles, find, address and drop opportunities."""
    return is_supervisor_of(user, workgroup)


def can_change_actions(user, cycle: Cycle) -> bool:
    """Actions are edited or removed by the supervisor while their stage is open."""
    return cycle.stage == Stage.ACTION and can_coach(user, cycle.workgroup)

"""Who may do what in coaching: one place that services, views and templates ask."""

from coaching.models import Cycle, Stage


def can_log_cycles(user, workgroup) -> bool:
    """Only the workgroup's own supervisor logs its coaching cycles."""
    return bool(user and user.is_authenticated and workgroup.supervisor.user_id == user.pk)


def can_change_actions(user, cycle: Cycle) -> bool:
    """Actions are edited or removed by the supervisor while their stage is open."""
    return cycle.stage == Stage.ACTION and can_log_cycles(user, cycle.workgroup)

"""Goal progress: measured from observations of each goal's target metric, rolled up the
tree and along "contributes to" links. The rules, as the goal page and the API state them:

- **Subjects.** An organisation, department or team goal reads the people whose org unit is
  the goal's unit or below it, and the pilots of those units with their workgroups. A pilot
  goal reads its pilot, the pilot's workgroups and their people (supervisors and members).
- **Current value.** Only current (not superseded) observations of the target metric for
  those subjects, whose period lies inside the goal's period, count; the metric's
  aggregation says how: a `sum` metric (value created, hours saved) is the total to date over
  the goal's period; a `mean` metric (handling time, satisfaction) is the mean over the
  subjects in the latest period (the latest `period_start`), the level it stands at now;
  a `last` metric (a level at the period's end, such as a backlog) is the latest period's
  values added up over the subjects, since levels of different people add.
- **Measured progress** = (current − start) / (target − start) × 100. It is 0 at the start
  value, 100 at the target, may go below 0 or above 100, and works for lower-is-better
  metrics as well (the target then sits below the start).
- **Rolled-up progress** = the weighted mean of the progress of the goal's sub-goals
  (weight 100 each) and of the goals contributing to it (their link's weight), counting only
  those with a progress. A goal's **progress** is its measured progress when it has
  observations, otherwise its rolled-up progress. A loop of links counts each goal once.

Everything is computed for the whole organisation's goals at once — one query for the
measurements, one for the goals, one for the links — so a page or an API list costs the same
whatever the tree's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection

from metrics.models import Aggregation

HUNDRED = Decimal(100)
CHILD_WEIGHT = HUNDRED


@dataclass(frozen=True)
class Measurement:
    period_start: date
    period_end: date
    value: Decimal
    observations: int


@dataclass(frozen=True)
class Progress:
    measurement: Measurement | None
    measured: Decimal | None  # percent, not clamped
    rolled_up: Decimal | None  # percent, not clamped

    @property
    def percent(self) -> Decimal | None:
        return self.measured if self.measured is not None else self.rolled_up

    @property
    def source(self) -> str | None:
        if self.measured is not None:
            return "measured"
        return "rolled_up" if self.rolled_up is not None else None

    @property
    def bar(self) -> int:
        """The width of a progress bar, 0–100."""
        percent = self.percent
        return 0 if percent is None else int(max(0, min(100, round(percent))))


NO_PROGRESS = Progress(None, None, None)

# Observations of the goal's metric, inside its period, for one kind of subject. {subjects}
# joins from goal `g` to the subject ids as `subject_id`; `u` is the org-unit closure.
_FACT = (
    "SELECT g.id AS goal_id, o.period_start, o.period_end, o.value "
    "FROM goals_goal g {subjects} "
    "JOIN metrics_observation o ON o.metric_id = g.metric_id AND o.is_current "
    "AND o.subject_type = '{kind}' AND o.subject_id = s.subject_id "
    "AND o.period_start >= g.period_start AND o.period_end <= g.period_end"
)
# Organisation, department and team goals: subjects whose org unit is in the closure `u`.
_IN_UNITS = "JOIN units u ON u.root_id = g.org_unit_id AND g.level <> 'pilot' "
_SUBJECTS = [
    (
        "person",
        "{in_units} JOIN (SELECT id AS subject_id, org_unit_id FROM people_person) s "
        "ON s.org_unit_id = u.id",
    ),
    (
        "pilot",
        "{in_units} JOIN (SELECT id AS subject_id, org_unit_id FROM pilots_pilot) s "
        "ON s.org_unit_id = u.id",
    ),
    (
        "workgroup",
        "{in_units} JOIN (SELECT w.id AS subject_id, p.org_unit_id FROM pilots_workgroup w "
        "JOIN pilots_pilot p ON p.id = w.pilot_id) s ON s.org_unit_id = u.id",
    ),
    # Pilot goals: the pilot, its workgroups, and their supervisors and members.
    (
        "pilot",
        "JOIN (SELECT id AS subject_id, id AS pilot_id FROM pilots_pilot) s "
        "ON s.pilot_id = g.pilot_id",
    ),
    (
        "workgroup",
        "JOIN (SELECT id AS subject_id, pilot_id FROM pilots_workgroup) s "
        "ON s.pilot_id = g.pilot_id",
    ),
    (
        "person",
        "JOIN (SELECT m.person_id AS subject_id, w.pilot_id FROM pilots_workgroupmember m "
        "JOIN pilots_workgroup w ON w.id = m.workgroup_id "
        "UNION SELECT supervisor_id, pilot_id FROM pilots_workgroup) s "
        "ON s.pilot_id = g.pilot_id",
    ),
]


def _measurements_sql() -> str:
    """Per goal: the latest period's start, end, sum, mean and count, and over the whole
    period the first start, the total and the count (SQL built from constants only)."""
    facts = " UNION ALL ".join(
        _FACT.format(kind=kind, subjects=subjects.format(in_units=_IN_UNITS))
        for kind, subjects in _SUBJECTS
    )
    units = (
        "units(root_id, id) AS (SELECT DISTINCT org_unit_id, org_unit_id FROM goals_goal "
        "UNION ALL SELECT u.root_id, c.id FROM people_orgunit c JOIN units u ON c.parent_id = u.id)"
    )
    return (
        f"WITH RECURSIVE {units}, facts AS ({facts}) "  # noqa: S608 - constants only
        "SELECT f.goal_id, f.period_start, MAX(f.period_end), SUM(f.value), AVG(f.value), "
        "COUNT(*), l.first_start, l.total, l.n FROM facts f "
        "JOIN (SELECT goal_id, MAX(period_start) AS latest, MIN(period_start) AS first_start, "
        "SUM(value) AS total, COUNT(*) AS n FROM facts GROUP BY goal_id) l "
        "ON l.goal_id = f.goal_id AND l.latest = f.period_start "
        "GROUP BY f.goal_id, f.period_start, l.first_start, l.total, l.n"
    )


def _decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"))


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def measurements() -> dict[int, tuple]:
    """Every goal's figures, as `_measurements_sql` selects them (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_measurements_sql())
        return {
            row[0]: (
                _as_date(row[1]),  # latest period start
                _as_date(row[2]),  # latest period end
                _decimal(row[3]),  # latest period sum
                _decimal(row[4]),  # latest period mean
                row[5],  # latest period count
                _as_date(row[6]),  # first period start
                _decimal(row[7]),  # total over the goal's period
                row[8],  # count over the goal's period
            )
            for row in cursor.fetchall()
        }


def measurement_for(goal, figures) -> Measurement | None:
    if figures is None:
        return None
    start, end, latest_sum, latest_mean, latest_count, first, total, count = figures
    aggregation = goal.metric.aggregation
    if aggregation == Aggregation.SUM:
        return Measurement(first, end, total, count)
    value = latest_mean if aggregation == Aggregation.MEAN else latest_sum
    return Measurement(start, end, value, latest_count)


def percent_of(goal, value: Decimal) -> Decimal:
    span = goal.target_value - goal.start_value
    return ((value - goal.start_value) / span * HUNDRED).quantize(Decimal("0.1"))


class ProgressBook:
    """Progress of every goal of the organisation, computed once and read per goal."""

    def __init__(self, goals, contributions, figures):
        self.goals = {goal.pk: goal for goal in goals}
        self.inputs: dict[int, list[tuple[int, Decimal]]] = {pk: [] for pk in self.goals}
        for goal in self.goals.values():
            if goal.parent_id in self.inputs:
                self.inputs[goal.parent_id].append((goal.pk, CHILD_WEIGHT))
        for from_id, to_id, weight in contributions:
            if to_id in self.inputs and from_id in self.goals:
                self.inputs[to_id].append((from_id, Decimal(weight)))
        self.measured = {
            pk: measurement_for(goal, figures.get(pk)) for pk, goal in self.goals.items()
        }
        self._done: dict[int, Progress] = {}
        self._visiting: set[int] = set()

    def __getitem__(self, goal_id: int) -> Progress:
        if goal_id not in self.goals:
            return NO_PROGRESS
        if goal_id not in self._done:
            self._done[goal_id] = self._compute(goal_id)
        return self._done[goal_id]

    def _compute(self, goal_id: int) -> Progress:
        goal, measurement = self.goals[goal_id], self.measured[goal_id]
        measured = percent_of(goal, measurement.value) if measurement else None
        self._visiting.add(goal_id)
        weighted, weights = Decimal(0), Decimal(0)
        for input_id, weight in self.inputs[goal_id]:
            if input_id in self._visiting:  # a loop of links: count each goal once
                continue
            percent = self[input_id].percent
            if percent is not None:
                weighted, weights = weighted + percent * weight, weights + weight
        self._visiting.discard(goal_id)
        rolled = (weighted / weights).quantize(Decimal("0.1")) if weights else None
        return Progress(measurement, measured, rolled)


def progress_book() -> ProgressBook:
    """Three queries: the goals with their metrics, the links, the measurements."""
    from goals.models import Goal, GoalContribution

    goals = (
        Goal.objects.without_tree_fields()
        .select_related("metric")
        .only("id", "parent_id", "start_value", "target_value", "metric__aggregation")
    )
    links = GoalContribution.objects.values_list("from_goal_id", "to_goal_id", "weight")
    return ProgressBook(list(goals), list(links), measurements())

"""Reads of weekly splits: one person's trend, and the strategic share per pilot and per
approach for the portfolio (each a fixed number of queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from pilots.models import Pilot
from weekly.models import WeeklySplit
from weekly.services import editable_until, week_of

TREND_WEEKS = 12
# The portfolio shows this many weeks before a pilot's start, so a rise after it shows.
WEEKS_BEFORE_START = 8


@dataclass(frozen=True)
class Week:
    week: date
    strategic_percent: int | None = None
    note: str = ""

    @property
    def detail_percent(self) -> int | None:
        return None if self.strategic_percent is None else 100 - self.strategic_percent


def person_trend(person, *, weeks: int = TREND_WEEKS, today: date | None = None) -> list[Week]:
    """The person's last `weeks` weeks, oldest first, with None for weeks not recorded."""
    current = week_of(today or timezone.localdate())
    first = current - timedelta(weeks=weeks - 1)
    entries = {
        e.week: e
        for e in WeeklySplit.objects.filter(person=person, week__gte=first, week__lte=current)
    }
    series = []
    for n in range(weeks):
        week = first + timedelta(weeks=n)
        entry = entries.get(week)
        series.append(
            Week(week, entry.strategic_percent, entry.note) if entry else Week(week, None)
        )
    return series


def open_weeks(trend: list[Week]) -> list[dict]:
    """This week and last week (both still open) with what was recorded, read from the
    person's trend (oldest first), so it costs no query of its own."""
    current, last = trend[-1], trend[-2]
    return [
        {
            "week": week.week,
            "label": label,
            "entry": week if week.strategic_percent is not None else None,
            "until": editable_until(week.week),
        }
        for week, label in ((current, "This week"), (last, "Last week"))
    ]


def _mean(values) -> Decimal:
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"))


def pilot_weeks(pilots: list[Pilot], *, today: date | None = None) -> dict[int, dict]:
    """Per pilot, per week, the strategic shares its supervisors recorded, from
    WEEKS_BEFORE_START weeks before its start to its end (or today). One query: a supervisor
    of two groups of one pilot counts once (DISTINCT)."""
    today = today or timezone.localdate()
    windows = {pilot.pk: run_window(pilot, today) for pilot in pilots}
    rows = (
        WeeklySplit.objects.filter(
            person__supervised_workgroups__pilot_id__in=[pk for pk, w in windows.items() if w]
        )
        .values_list("person__supervised_workgroups__pilot_id", "week", "person_id",
                     "strategic_percent")
        .order_by()
        .distinct()
    )  # fmt: skip
    weeks: dict[int, dict] = {pk: defaultdict(list) for pk in windows}
    for pilot_id, week, _person_id, percent in rows:
        window = windows[pilot_id]
        if window[0] <= week <= window[1]:
            weeks[pilot_id][week].append(percent)
    return {pk: dict(sorted(by_week.items())) for pk, by_week in weeks.items()}


def run_window(pilot: Pilot, today: date) -> tuple[date, date] | None:
    """The weeks the portfolio reads for a started pilot: some before its start, to its end."""
    if pilot.started_at is None:
        return None
    start = week_of(timezone.localdate(pilot.started_at))
    end = week_of(timezone.localdate(pilot.ended_at)) if pilot.ended_at else week_of(today)
    return start - timedelta(weeks=WEEKS_BEFORE_START), end


def start_week(pilot: Pilot) -> date | None:
    return week_of(timezone.localdate(pilot.started_at)) if pilot.started_at else None


def pilot_series(pilot: Pilot, *, today: date | None = None) -> list[tuple[date, Decimal, int]]:
    """(week, mean strategic share of its supervisors, how many recorded) per week."""
    weeks = pilot_weeks([pilot], today=today)[pilot.pk]
    return [(week, _mean(shares), len(shares)) for week, shares in weeks.items()]


def approach_series(pilots: list[Pilot], *, today: date | None = None) -> dict[str, list]:
    """Per approach: (weeks since start, mean over pilots of their supervisors' mean share,
    pilots counted) — pilots aligned on their start, so a rise after it shows."""
    per_pilot = pilot_weeks(pilots, today=today)
    cells: dict[tuple[str, int], list[Decimal]] = defaultdict(list)
    for pilot in pilots:
        start = start_week(pilot)
        for week, shares in per_pilot.get(pilot.pk, {}).items():
            cells[(pilot.approach, (week - start).days // 7)].append(_mean(shares))
    series = defaultdict(list)
    for (approach, offset), means in sorted(cells.items(), key=lambda item: item[0][1]):
        series[approach].append((offset, _mean(means), len(means)))
    return dict(series)

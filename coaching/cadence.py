"""Cadence: when a workgroup's next coaching cycle is due, and whether it is overdue.

A workgroup of a running pilot is overdue when more than `cadence_days` whole days have
passed since its last cycle started (or since the pilot started, before any cycle). Days are
counted on the calendar of TIME_ZONE: started on the 10th with a 14-day cadence, the group is
due on the 24th and overdue from the 25th.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Func
from django.utils import timezone


class Days(Func):
    """An integer column as a duration of that many days, on PostgreSQL and SQLite alike
    (Django cannot multiply a duration by a column on SQLite, where durations are µs)."""

    output_field = DurationField()
    template = "make_interval(days => %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s * 86400000000)")


def due_at(reference: str, cadence: str = "cadence_days") -> ExpressionWrapper:
    """The moment `cadence` days after the `reference` timestamp (both column names)."""
    return ExpressionWrapper(F(reference) + Days(F(cadence)), output_field=DateTimeField())


def overdue_cutoff(today: date) -> datetime:
    """Due before the start of `today` means more than cadence_days whole days have passed."""
    return timezone.make_aware(datetime.combine(today, time.min))


def is_overdue(*, reference: datetime | None, cadence_days: int, today: date) -> bool:
    """The same rule in Python, for a single workgroup already in memory."""
    if reference is None:
        return False
    return timezone.localdate(reference) + timedelta(days=cadence_days) < today


def days_since(reference: datetime | None, today: date) -> int | None:
    return None if reference is None else (today - timezone.localdate(reference)).days


def week_start(day: date) -> date:
    """The Monday of `day`'s week: the date a weekly digest is filed under."""
    return day - timedelta(days=day.weekday())


@dataclass
class StripSegment:
    """One stretch between cycle starts on the cadence strip, in percent of the strip."""

    left: float
    width: float
    days: int
    late: bool
    start: date
    end: date
    current: bool


def cadence_strip(
    *, origin: date, starts: list[date], today: date, cadence_days: int
) -> list[StripSegment]:
    """The gaps between consecutive cycle starts from `origin` (the pilot's start) to today;
    a gap longer than the cadence is late. The last gap is the one still running."""
    points = [origin, *sorted(d for d in starts if origin <= d <= today), today]
    span = max((today - origin).days, 1)
    segments = []
    for n, (start, end) in enumerate(pairwise(points)):
        days = (end - start).days
        if days == 0 and n < len(points) - 2:
            continue  # two cycles started the same day (one abandoned): no gap to draw
        segments.append(
            StripSegment(
                left=round((start - origin).days / span * 100, 2),
                width=round(max(days, 0.4) / span * 100, 2),
                days=days,
                late=days > cadence_days,
                start=start,
                end=end,
                current=n == len(points) - 2,
            )
        )
    return segments

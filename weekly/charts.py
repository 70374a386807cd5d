"""The strategic-share charts: the portfolio's, as portfolio.charts.Chart objects (Plotly
traces plus the table of exactly the plotted numbers, which the CSV download also uses), and
a person's weekly trend as the geometry of a small server-drawn SVG with its table."""

from __future__ import annotations

from core import palette
from pilots.models import Approach, Pilot
from portfolio.charts import APPROACH_COLOURS, Chart, _layout, _line, _marker
from weekly.selectors import approach_series, pilot_series, start_week

PERCENT_AXIS = {"range": [0, 100], "ticksuffix": " %"}


def approach_strategic_chart(pilots: list[Pilot], *, today=None) -> Chart:
    """Per approach: the supervisors' strategic share by weeks since each pilot's start."""
    title = "Supervisors' time on strategic work, by approach"
    series = approach_series([p for p in pilots if p.started_at], today=today)
    data, table = [], []
    for approach in Approach:
        points = series.get(approach, [])
        table += [[approach.label, offset, float(mean), n] for offset, mean, n in points]
        data.append(
            _line(
                approach.label,
                [p[0] for p in points],
                [float(p[1]) for p in points],
                APPROACH_COLOURS[approach],
            )
        )
    layout = _layout(title, "Weeks since the pilot's start", "Strategic share of the week")
    layout["yaxis"].update(PERCENT_AXIS)
    if table:  # an empty axis has no 0 to mark (Plotly would draw the line at NaN)
        layout["shapes"] = [
            {"type": "line", "xref": "x", "yref": "paper", "x0": 0, "x1": 0, "y0": 0, "y1": 1,
             "line": {"color": palette.MUTED, "dash": "dot", "width": 1}}
        ]  # fmt: skip
    columns = ["approach", "weeks_since_start", "strategic_percent_mean", "pilots"]
    note = "" if table else "No supervisor has recorded a week yet."
    return Chart("strategic-share", title, data, layout, columns, table, note)


def pilot_strategic_chart(pilot: Pilot, *, today=None) -> Chart:
    """The pilot's supervisors' mean strategic share per week, with the start marked."""
    title = "Supervisors' time on strategic work"
    points = pilot_series(pilot, today=today)
    x = [week.isoformat() for week, _, _ in points]
    data = [
        _line("Strategic share (mean of supervisors)", x, [float(m) for _, m, _ in points],
              APPROACH_COLOURS[pilot.approach])
    ]  # fmt: skip
    layout = _layout(title, "Week (Monday)", "Strategic share of the week")
    layout["yaxis"].update(PERCENT_AXIS)
    start = start_week(pilot)
    if start and points:
        shape, annotation = _marker(start, "Start", palette.MUTED)
        layout["shapes"], layout["annotations"] = [shape], [annotation]
    table = [[week.isoformat(), float(mean), n] for week, mean, n in points]
    columns = ["week", "strategic_percent_mean", "supervisors_recorded"]
    note = "" if points else "No supervisor of this pilot has recorded a week yet."
    return Chart("strategic-share", title, data, layout, columns, table, note)


BAR_WIDTH, GAP, HEIGHT = 18, 6, 60


def trend_view(person, trend, title: str) -> dict:
    """What weekly/_trend.html draws: one bar per week in a 0–HEIGHT viewBox (a thin tick for
    a week not recorded) and the table of the recorded weeks."""
    bars = []
    for n, week in enumerate(trend):
        share = week.strategic_percent
        height = HEIGHT * share / 100 if share is not None else 0
        bars.append(
            {"x": n * (BAR_WIDTH + GAP), "y": HEIGHT - height, "height": height, "week": week}
        )
    return {
        "shown": True,
        "person": person,
        "title": title,
        "bars": bars,
        "width": len(trend) * (BAR_WIDTH + GAP) - GAP,
        "bar_width": BAR_WIDTH,
        "height": HEIGHT,
        "recorded": [w for w in trend if w.strategic_percent is not None],
    }

"""The strategic-share charts of the portfolio, as portfolio.charts.Chart objects (Plotly
traces plus the table of exactly the plotted numbers, which the CSV download also uses)."""

from __future__ import annotations

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
    layout["shapes"] = [
        {"type": "line", "xref": "x", "yref": "paper", "x0": 0, "x1": 0, "y0": 0, "y1": 1,
         "line": {"color": "#5b6776", "dash": "dot", "width": 1}}
    ]  # fmt: skip
    columns = ["approach", "weeks_since_start", "strategic_percent_mean", "pilots"]
    return Chart("strategic-share", title, data, layout, columns, table)


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
    if start:
        shape, annotation = _marker(start, "Start", "#5b6776")
        layout["shapes"], layout["annotations"] = [shape], [annotation]
    table = [[week.isoformat(), float(mean), n] for week, mean, n in points]
    columns = ["week", "strategic_percent_mean", "supervisors_recorded"]
    return Chart("strategic-share", title, data, layout, columns, table)

"""Charts of the evidence section, in the portfolio's `Chart` shape (Plotly traces, layout
and the table of exactly the plotted numbers, which the page and the CSV both show)."""

from __future__ import annotations

import datetime as dt

from core import palette
from core.charts import plotly_text
from portfolio.charts import VALUE_COLOUR, Chart, _layout, value_series

GAP_COLOUR, SCORE_COLOUR = palette.GOOD, palette.PURPLE
BAND_COLOUR = palette.translucent(palette.GOOD, 0.18)


def _round(x):
    return None if x is None else round(x, 4)


def event_study_chart(found, weeks: list[dt.date]) -> Chart:
    """The weekly gap between pilot and comparison groups relative to the last pre-period
    week, with its 95 % interval: flat before the start is what a fair comparison looks like."""
    metric = found.metric
    points = [w for w in found.event_weeks if w.gap is not None]
    x = [w.index for w in points]
    low = [_round(w.low if w.low is not None else w.gap) for w in points]
    high = [_round(w.high if w.high is not None else w.gap) for w in points]
    data = [
        {"type": "scatter", "mode": "lines", "x": x, "y": high, "line": {"width": 0},
         "hoverinfo": "skip", "showlegend": False},
        {"type": "scatter", "mode": "lines", "x": x, "y": low, "fill": "tonexty",
         "fillcolor": BAND_COLOUR, "line": {"width": 0}, "name": "95 % interval",
         "hoverinfo": "skip"},
        {"type": "scatter", "mode": "lines+markers", "x": x, "y": [_round(w.gap) for w in points],
         "line": {"color": GAP_COLOUR}, "name": "Pilot − comparison",
         "hovertemplate": "Week %{x}: %{y:.2f} " + plotly_text(metric.unit) + "<extra></extra>"},
    ]  # fmt: skip
    layout = _layout(
        f"{metric.name}: pilot minus comparison, week by week",
        "Weeks from the start (0 = first week after it)",
        f"Gap against week −1 ({metric.unit})",
        shapes=[
            {"type": "line", "xref": "x", "yref": "paper", "x0": -0.5, "x1": -0.5, "y0": 0,
             "y1": 1, "line": {"dash": "dot", "color": palette.MARKER}},
            {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 0, "y1": 0,
             "line": {"color": palette.GRID, "width": 1}},
        ],
        height=340,
    )  # fmt: skip
    layout["yaxis"]["rangemode"] = "normal"
    first = weeks[0] if weeks else None
    rows = [
        [
            w.index,
            (first + dt.timedelta(weeks=w.index - found.event_weeks[0].index)).isoformat()
            if first
            else "",
            _round(w.gap),
            _round(w.low),
            _round(w.high),
            w.treated_groups,
            w.comparison_groups,
        ]
        for w in points
    ]
    return Chart(
        key=f"event-study-{metric.key}",
        title=f"{metric.name}: the gap week by week",
        data=data,
        layout=layout,
        columns=[
            "week",
            "week starting",
            "gap",
            "low",
            "high",
            "pilot groups",
            "comparison groups",
        ],
        rows=rows,
    )


def still_redefined_chart(pilot, scores, settings) -> Chart:
    """How the 0–10 "the way we work is still redefined" holds up after the end, beside the
    pilot's cumulative value created (money, from the rollups)."""
    series = value_series(pilot, settings=settings)
    months = [p["period_start"].isoformat() for p in series]
    value = [float(p["cumulative_value"]) for p in series]
    shown = [s for s in scores if s.mean is not None]
    data = [
        {"type": "scatter", "mode": "lines", "x": months, "y": value,
         "name": "Value created, cumulative", "line": {"color": VALUE_COLOUR}, "yaxis": "y"},
        {"type": "scatter", "mode": "lines+markers+text",
         "x": [s.due_on.isoformat() for s in shown], "y": [round(s.mean, 1) for s in shown],
         "text": [s.label for s in shown],
         "textposition": "top center", "name": "Still redefined (0–10)",
         "line": {"color": SCORE_COLOUR, "dash": "dot"}, "marker": {"size": 10}, "yaxis": "y2"},
    ]  # fmt: skip
    layout = _layout(
        "Still redefined after the end, beside the value created",
        "",
        f"Value created ({settings.currency})",
        yaxis2={"title": {"text": "Still redefined (0–10)"}, "overlaying": "y", "side": "right",
                "range": [0, 10.5], "tickvals": [0, 2, 4, 6, 8, 10], "showgrid": False,
                "automargin": True},
        height=360,
    )  # fmt: skip
    # Two axes: Plotly autoranges each on its own, but cuts the first one off at the top.
    layout["yaxis"]["range"] = [0, (max(value, default=0) or 1) * 1.1]
    rows = [[s.label, s.due_on.isoformat(), s.invited, s.answered, s.mean] for s in scores]
    return Chart(
        key="still-redefined",
        title="Still redefined, and the value created",
        data=data,
        layout=layout,
        columns=["follow-up", "due", "invited", "answered", "mean 0–10 (5 answers or more)"],
        rows=rows,
    )

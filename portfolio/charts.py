"""The portfolio charts as plain dicts: Plotly traces and layout, plus the table of
exactly the plotted numbers (the page shows it below the chart and the CSV download is built
from it, so the three can never disagree). Data come from the rollups via selectors."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from django.utils import timezone

from coaching.models import Cycle
from core import palette
from core.charts import plotly_text
from pilots.models import Approach, Pilot, Workgroup
from portfolio.models import OrganisationSettings, PilotMonthRollup, WorkgroupMonthRollup
from portfolio.selectors import DashboardRow, horizon_date

# Plotly stays responsive up to a few thousand points per trace; beyond, we aggregate.
MAX_POINTS = 2000
# Payloads stay under 50 KB: at most this many pilots on the scatter (the largest by people,
# names written beside the bubbles only up to SCATTER_LABELS) and this many workgroups per
# pilot chart (the rest summed into "Other groups", or left out of the cadence chart).
MAX_SCATTER = 300
SCATTER_LABELS = 30
MAX_GROUPS = 8
APPROACH_COLOURS = {Approach.WORK_REDEFINITION: palette.GOOD, Approach.JOB_REDESIGN: palette.ACCENT}
VALUE_COLOUR, EFFICIENCY_COLOUR, LATE_COLOUR = palette.VALUE, palette.EFFICIENCY, palette.BAD
PALETTE = palette.SERIES


@dataclass
class Chart:
    """What a page draws and a CSV exports: `table` holds exactly the plotted numbers."""

    key: str
    title: str
    data: list[dict]
    layout: dict
    columns: list[str]
    rows: list[list]
    note: str = ""  # said under the chart when it shows a selection of the data

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "data": self.data, "layout": self.layout}


def _cents(amount) -> Decimal:
    return Decimal(amount or 0).quantize(Decimal("0.01"))


def _money(amount) -> float:
    """What Plotly and the chart tables get: the amount to the cent, as a number."""
    return float(_cents(amount))


def _layout(title: str, x: str, y: str, **extra) -> dict:
    # The title is the figure's HTML heading (it wraps on a phone; Plotly's does not); the
    # layout keeps it only as metadata for exports of the image.
    return {
        "meta": {"title": plotly_text(title)},
        "xaxis": {"title": {"text": plotly_text(x), "standoff": 8}, "automargin": True},
        "yaxis": {"title": {"text": plotly_text(y)}, "automargin": True, "rangemode": "tozero"},
        "legend": {"orientation": "h", "x": 0, "y": -0.3, "yanchor": "top"},
        "margin": {"l": 60, "r": 24, "t": 36, "b": 110},
        "height": 420,
        **extra,
    }


def _inwards(x: float, largest: float) -> str:
    return "top right" if x < largest / 2 else "top left"


def _padded(values: list[float], share: float = 0.18) -> list[float]:
    """An axis range with room for labels and bubbles at the edges."""
    low, high = min([0, *values]), max([0, *values]) or 1
    span = high - low
    return [low - span * share / 2, high + span * share]


DAY_MS = 86_400_000


def date_axis(days: list[date]) -> dict:
    """A date x-axis with ticks a reader expects at any age: days and weeks for a young
    pilot (a single point gets a week either side, never Plotly's milliseconds around one
    instant), months after a few months, quarters and years after a few years."""
    if not days:
        return {"type": "date"}
    first, last = min(days), max(days)
    span = (last - first).days
    pad = timedelta(days=7) if span < 14 else timedelta(days=max(3, span // 30))
    if span <= 21:
        ticks = {"dtick": DAY_MS, "tickformat": "%-d %b"} if span < 10 else {}
        ticks = ticks or {"dtick": 7 * DAY_MS, "tickformat": "%-d %b"}
    elif span <= 120:
        ticks = {"dtick": 7 * DAY_MS, "tickformat": "%-d %b"}
    elif span <= 800:
        ticks = {"dtick": "M1", "tickformat": "%b %Y"}
    elif span <= 2200:
        ticks = {"dtick": "M3", "tickformat": "%b %Y"}
    else:
        ticks = {"dtick": "M12", "tickformat": "%Y"}
    if span < 10:
        pad = timedelta(days=max(1, (10 - span) // 2))
    span_range = [(first - pad).isoformat(), (last + pad).isoformat()]
    return {"type": "date", "range": span_range, "tickangle": 0, "nticks": 8, **ticks}


def _with_date_axis(layout: dict, days: list[date]) -> dict:
    layout["xaxis"] = {**layout["xaxis"], **date_axis(days)}
    return layout


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_range(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last and len(months) < MAX_POINTS:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _pilot_months(pilot: Pilot, seen: list[date], today: date) -> list[date]:
    start = timezone.localdate(pilot.started_at) if pilot.started_at else None
    first = min([d for d in [start, *seen] if d] or [today])
    end = timezone.localdate(pilot.ended_at) if pilot.ended_at else today
    return month_range(first, max([end, *seen]))


# ---- 1. value against efficiency for one pilot ------------------------------------------


def value_series(pilot: Pilot, *, settings=None, today: date | None = None) -> list[dict]:
    """Per month since start: value and efficiency in own units and money, and cumulative
    money, as Decimals to the cent (the API's `value-vs-efficiency` series; one query plus
    the settings when not given)."""
    today = today or timezone.localdate()
    settings = settings or OrganisationSettings.load()
    columns = ("value_money", "value_hours", "efficiency_money", "efficiency_hours")
    rows = PilotMonthRollup.objects.filter(pilot=pilot).values_list("month", *columns)
    by_month = {month: figures for month, *figures in rows}
    series, value_total, efficiency_total = [], Decimal("0"), Decimal("0")
    for month in _pilot_months(pilot, list(by_month), today):
        figures = [_cents(x) for x in by_month.get(month, (0, 0, 0, 0))]
        value_money, value_hours, efficiency_money, efficiency_hours = figures
        value = settings.money(amount=value_money, hours=value_hours)
        efficiency = settings.money(amount=efficiency_money, hours=efficiency_hours)
        value_total, efficiency_total = value_total + value, efficiency_total + efficiency
        series.append(
            {
                "period_start": month,
                **dict(zip(columns, figures, strict=True)),
                "value": value,
                "efficiency": efficiency,
                "cumulative_value": value_total,
                "cumulative_efficiency": efficiency_total,
            }
        )
    return series


def _marker(day: date, label: str, colour: str) -> tuple[dict, dict]:
    shape = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": day.isoformat(),
        "x1": day.isoformat(),
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "dash": "dot", "width": 2},
    }
    note = {"x": day.isoformat(), "y": 1, "yref": "paper", "text": label, "showarrow": False}
    return shape, {**note, "xanchor": "left", "yanchor": "bottom", "font": {"color": colour}}


def value_vs_efficiency_chart(pilot: Pilot, *, settings=None, today=None) -> Chart:
    settings = settings or OrganisationSettings.load()
    currency = settings.currency
    series = value_series(pilot, settings=settings, today=today)
    # A cumulative total is reached at the end of its month (or today, for this month).
    today = today or timezone.localdate()
    months = [min(_month_end(p["period_start"]), today).isoformat() for p in series]
    title = f"{pilot.name}: cumulative value created and efficiency gains"
    data = [
        _line(
            "Value created", months, [_money(p["cumulative_value"]) for p in series], VALUE_COLOUR
        ),
        _line(
            "Efficiency gains",
            months,
            [_money(p["cumulative_efficiency"]) for p in series],
            EFFICIENCY_COLOUR,
        ),
    ]
    shapes, notes = [], []
    if pilot.started_at:
        for day, label in [
            (timezone.localdate(pilot.started_at), "Start"),
            (horizon_date(pilot), f"Patience horizon ({pilot.patience_horizon_weeks} wk)"),
        ]:
            shape, note = _marker(day, label, "#555")
            shapes.append(shape)
            notes.append(note)
    layout = _layout(title, "Month", f"Cumulative {currency}", shapes=shapes, annotations=notes)
    marked = [date.fromisoformat(shape["x0"]) for shape in shapes]
    _with_date_axis(layout, [date.fromisoformat(m) for m in months] + marked)
    rows = [
        [m, _money(p["cumulative_value"]), _money(p["cumulative_efficiency"])]
        for m, p in zip(months, series, strict=True)
    ]
    columns = ["as_of", f"cumulative_value_{currency}", f"cumulative_efficiency_{currency}"]
    return Chart("value-vs-efficiency", title, data, layout, columns, rows)


def _line(name, x, y, colour, **extra) -> dict:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": plotly_text(name),
        "x": x,
        "y": y,
        "line": {"color": colour, "width": 3},
        **extra,
    }


# ---- 2. portfolio scatter -----------------------------------------------------------------


def portfolio_scatter_chart(rows: list[DashboardRow], *, settings=None) -> Chart:
    """Pilots by efficiency gains (x) and value created (y), colour = approach, size = people.
    Beyond MAX_POINTS pilots per approach only the largest (by people) are drawn."""
    currency = (settings or OrganisationSettings.load()).currency
    title = "Pilots: value created against efficiency gains"
    data, table = [], []
    table_max = max([_money(r.efficiency) for r in rows] or [0])
    shown = sorted(rows, key=lambda r: (-r.people, r.pilot.pk))[:MAX_SCATTER]
    labelled = len(shown) <= SCATTER_LABELS and not _crowded(shown)
    for approach in Approach:
        mine = sorted(
            (r for r in shown if r.pilot.approach == approach), key=lambda r: r.pilot.name
        )
        points = [
            [r.pilot.name, approach.label, _money(r.efficiency), _money(r.value), r.people]
            for r in mine
        ]
        table += points
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text" if labelled else "markers",
                "name": approach.label,
                "x": [p[2] for p in points],
                "y": [p[3] for p in points],
                "text": [plotly_text(p[0]) for p in points],
                # Labels point inwards so names near the edges are not cut off.
                "textposition": [_inwards(p[2], table_max) for p in points] if labelled else "",
                "hovertemplate": "%{text}<br>Efficiency %{x:,.0f}<br>Value %{y:,.0f}"
                "<br>%{marker.size} people<extra></extra>",
                "marker": {
                    "color": APPROACH_COLOURS[approach],
                    "size": [p[4] for p in points],
                    "sizemode": "area",
                    "sizeref": 0.08,
                    "sizemin": 6,
                    "opacity": 0.75,
                    "line": {"color": "#fff", "width": 1},
                },
            }
        )
    layout = _layout(
        title, f"Efficiency gains to date ({currency})", f"Value created to date ({currency})"
    )
    layout["xaxis"]["range"] = _padded([p[2] for p in table], 0.3)
    layout["yaxis"]["range"] = _padded([p[3] for p in table])
    layout["legend"]["itemsizing"] = "constant"
    columns = ["pilot", "approach", f"efficiency_{currency}", f"value_{currency}", "people"]
    note = (
        f"Showing the {len(shown)} largest of {len(rows)} pilots." if len(shown) < len(rows) else ""
    )
    if shown and not labelled:
        note = f"{note} Hover over or tap a bubble for the pilot's name.".strip()
    return Chart("scatter", title, data, layout, columns, table, note)


def _crowded(rows: list[DashboardRow], share: float = 0.08) -> bool:
    """Whether two bubbles sit so close that their names would overlap: then names show on
    hover (or tap) only."""
    xs, ys = [_money(r.efficiency) for r in rows], [_money(r.value) for r in rows]
    width = (max(xs + [0]) - min(xs + [0])) or 1
    height = (max(ys + [0]) - min(ys + [0])) or 1
    points = list(zip(xs, ys, strict=True))
    return any(
        abs(a[0] - b[0]) < width * share * 2 and abs(a[1] - b[1]) < height * share
        for i, a in enumerate(points)
        for b in points[i + 1 :]
    )


# ---- 3. approach comparison -------------------------------------------------------------


def _cumulative_months(row: DashboardRow, today: date) -> list[tuple[Decimal, Decimal]]:
    """Cumulative (value, efficiency) at the end of each month since the pilot's start."""
    by_month = {m.month: m for m in row.months}
    value = efficiency = Decimal("0")
    totals = []
    for month in month_range(timezone.localdate(row.pilot.started_at).replace(day=1), today):
        if m := by_month.get(month):
            value, efficiency = value + m.value, efficiency + m.efficiency
        totals.append((value, efficiency))
    return totals


def _cohort_months(lengths: list[int]) -> int:
    """How many months the fixed cohort covers: as far as at least half of the approach's
    pilots have run (at least the first month)."""
    ranked = sorted(lengths, reverse=True)
    return max(1, ranked[(len(ranked) - 1) // 2]) if ranked else 0


def approach_comparison_chart(rows: list[DashboardRow], *, settings=None, today=None) -> Chart:
    """Per approach and month since start: cumulative value and efficiency per person over a
    fixed cohort (the pilots of that approach that have run the months shown), so a line
    never falls because a young pilot joined the average; the table says who is in it."""
    settings = settings or OrganisationSettings.load()
    today = today or timezone.localdate()
    currency = settings.currency
    title = "Approaches compared: value and efficiency per person"
    data, table, notes = [], [], []
    for approach in Approach:
        runs = [
            (row, _cumulative_months(row, today))
            for row in rows
            if row.pilot.approach == approach and row.pilot.started_at and row.people
        ]
        months = _cohort_months([len(totals) for _, totals in runs])
        cohort = [(row, totals) for row, totals in runs if len(totals) >= months]
        people = sum(row.people for row, _ in cohort)
        per = []
        for n in range(months if cohort else 0):
            value = sum(totals[n][0] for _, totals in cohort)
            efficiency = sum(totals[n][1] for _, totals in cohort)
            money = [_money(value / people), _money(efficiency / people)]
            per.append([approach.label, n, *money, len(cohort)])
        if runs:
            notes.append(
                f"{approach.label}: the {len(cohort)} of {len(runs)} pilots that have run "
                f"{months} month{'s' if months != 1 else ''}"
            )
        table += per
        colour = APPROACH_COLOURS[approach]
        x = [p[1] for p in per]
        hover = "%{fullData.name}<br>%{y:,.0f} per person, %{customdata} pilots<extra></extra>"
        extra = {"customdata": [p[4] for p in per], "hovertemplate": hover}
        data.append(_line(f"{approach.label}: value", x, [p[2] for p in per], colour) | extra)
        data.append(
            _line(f"{approach.label}: efficiency", x, [p[3] for p in per], colour)
            | extra
            | {"line": {"color": colour, "width": 3, "dash": "dash"}}
        )
    layout = _layout(title, "Months since start", f"Cumulative {currency} per person")
    layout["xaxis"] |= {"dtick": 1, "tick0": 0, "rangemode": "tozero"}
    columns = [
        "approach",
        "months_since_start",
        f"value_per_person_{currency}",
        f"efficiency_per_person_{currency}",
        "pilots_in_cohort",
    ]
    note = ("Fixed cohorts — " + "; ".join(notes) + ".") if notes else ""
    return Chart("approaches", title, data, layout, columns, table, note)


# ---- 4. leading indicators per workgroup ---------------------------------------------------

INDICATORS = [
    ("cycles_completed", "Cycles completed"),
    ("opportunities_found", "Opportunities found"),
    ("opportunities_addressed", "Opportunities addressed"),
]


def leading_indicators_chart(pilot: Pilot, workgroups: list[Workgroup], *, today=None) -> Chart:
    """Cycles completed and opportunities found and addressed per workgroup per month, three
    stacked panels sharing the month axis (one query for the rollups)."""
    today = today or timezone.localdate()
    counts = {
        (r.workgroup_id, r.month): r for r in WorkgroupMonthRollup.objects.filter(pilot=pilot)
    }
    months = _pilot_months(pilot, [m for _, m in counts], today)
    labels = [m.isoformat() for m in months]
    title = f"{pilot.name}: leading indicators per workgroup"
    data, table = [], []
    for i, (name, ids) in enumerate(_indicator_groups(workgroups, counts)):
        values = {
            key: [
                sum(getattr(counts[(g, m)], key) for g in ids if (g, m) in counts) for m in months
            ]
            for key, _ in INDICATORS
        }
        table += [
            [name, label, *(values[k][j] for k, _ in INDICATORS)] for j, label in enumerate(labels)
        ]
        for panel, (key, _) in enumerate(INDICATORS, start=1):
            data.append(
                {
                    "type": "bar",
                    "name": plotly_text(name),
                    "legendgroup": plotly_text(name),
                    "showlegend": panel == 1,
                    "x": labels,
                    "y": values[key],
                    "marker": {"color": PALETTE[i % len(PALETTE)]},
                    "xaxis": "x",
                    "yaxis": "y" if panel == 1 else f"y{panel}",
                }
            )
    layout = _layout(title, "Month", "Count", height=640, barmode="group")
    _with_date_axis(layout, months)
    if len(months) < 24:  # one bar group per month: monthly ticks, never hours
        layout["xaxis"] |= {"dtick": "M1", "tickformat": "%b %Y"}
    layout["grid"] = {"rows": 3, "columns": 1, "pattern": "coupled", "ygap": 0.32}
    layout["legend"]["y"] = -0.12
    layout["annotations"] = []
    for panel, (_, label) in enumerate(INDICATORS, start=1):
        axis = "y" if panel == 1 else f"y{panel}"
        if panel > 1:
            layout[f"yaxis{panel}"] = {"title": {"text": "Count"}, "rangemode": "tozero"}
        layout["annotations"].append(
            {
                "text": f"<b>{label}</b>",
                "xref": "paper",
                "yref": f"{axis} domain",
                "x": 0,
                "y": 1.02,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
    columns = ["workgroup", "month", *(key for key, _ in INDICATORS)]
    return Chart("leading-indicators", title, data, layout, columns, table)


def _indicator_groups(workgroups: list[Workgroup], counts: dict) -> list[tuple[str, list[int]]]:
    """Up to MAX_GROUPS workgroups by name; beyond, the busiest MAX_GROUPS - 1 and the rest
    summed as "Other groups" so the payload stays small."""
    if len(workgroups) <= MAX_GROUPS:
        return [(w.name, [w.pk]) for w in workgroups]
    activity = defaultdict(int)
    for (workgroup_id, _), row in counts.items():
        activity[workgroup_id] += sum(getattr(row, key) for key, _ in INDICATORS)
    ranked = sorted(workgroups, key=lambda w: (-activity[w.pk], w.name))
    kept, rest = ranked[: MAX_GROUPS - 1], ranked[MAX_GROUPS - 1 :]
    kept.sort(key=lambda w: w.name)
    return [(w.name, [w.pk]) for w in kept] + [
        (f"Other groups ({len(rest)})", [w.pk for w in rest])
    ]


# ---- 5. cadence per workgroup ------------------------------------------------------------


def cadence_gaps(pilot: Pilot, workgroups: list[Workgroup], *, today=None) -> list[list]:
    """Per workgroup, the days between consecutive cycle starts from the pilot's start to
    today (the last gap still running); a gap longer than the cadence is overdue."""
    today = today or timezone.localdate()
    starts = defaultdict(list)
    for workgroup_id, started_at in Cycle.objects.filter(workgroup__pilot=pilot).values_list(
        "workgroup_id", "started_at"
    ):
        starts[workgroup_id].append(timezone.localdate(started_at))
    if pilot.started_at is None:
        return []
    origin = timezone.localdate(pilot.started_at)
    end = timezone.localdate(pilot.ended_at) if pilot.ended_at else today
    rows = []
    for workgroup in workgroups:
        # Every cycle is a point (two started on one day are two points, 0 days apart), and
        # the gap still running to today is the last one.
        points = [origin, *sorted(d for d in starts[workgroup.pk] if origin <= d <= end)]
        for first, second in pairwise([*points, end]):
            days = (second - first).days
            late = days > workgroup.cadence_days
            rows.append([workgroup.name, first, second, days, workgroup.cadence_days, late])
    return rows[-MAX_POINTS:]


def _most_overdue(workgroups: list[Workgroup], gaps: list[list]) -> list[Workgroup]:
    late = defaultdict(int)
    for gap in gaps:
        late[gap[0]] += gap[5]
    ranked = sorted(workgroups, key=lambda w: (-late[w.name], w.name))[:MAX_GROUPS]
    return sorted(ranked, key=lambda w: w.name)


def cadence_chart(pilot: Pilot, workgroups: list[Workgroup], *, today=None) -> Chart:
    """Days between cycle starts per workgroup; beyond MAX_GROUPS, the most overdue groups."""
    every_gap, every = cadence_gaps(pilot, workgroups, today=today), workgroups
    workgroups = _most_overdue(workgroups, every_gap)
    gaps = [g for g in every_gap if g[0] in {w.name for w in workgroups}]
    title = f"{pilot.name}: days between coaching cycles"
    data = []
    for i, workgroup in enumerate(workgroups):
        mine = [g for g in gaps if g[0] == workgroup.name]
        colour = PALETTE[i % len(PALETTE)]
        data.append(
            _line(workgroup.name, [g[2].isoformat() for g in mine], [g[3] for g in mine], colour)
            | {
                "marker": {
                    "size": 9,
                    "color": [LATE_COLOUR if g[5] else colour for g in mine],
                    "symbol": ["x" if g[5] else "circle" for g in mine],
                },
                "line": {"color": colour, "width": 2},
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": plotly_text(f"{workgroup.name}: cadence ({workgroup.cadence_days} d)"),
                "x": [mine[0][1].isoformat(), mine[-1][2].isoformat()] if mine else [],
                "y": [workgroup.cadence_days] * (2 if mine else 0),
                "line": {"color": colour, "dash": "dot", "width": 1},
                "hoverinfo": "skip",
            }
        )
    layout = _layout(
        title, "Cycle start (or today for the running gap)", "Days since previous cycle"
    )
    _with_date_axis(layout, [g[2] for g in gaps] + [g[1] for g in gaps])
    rows = [
        [g[0], g[1].isoformat(), g[2].isoformat(), g[3], g[4], "yes" if g[5] else "no"]
        for g in gaps
    ]
    columns = ["workgroup", "from", "to", "days", "cadence_days", "overdue"]
    note = (
        f"Showing the {len(workgroups)} most overdue of {len(every)} workgroups."
        if len(workgroups) < len(every)
        else ""
    )
    return Chart("cadence", title, data, layout, columns, rows, note)


# ---- 6. confidence per workgroup over cycles ------------------------------------------

CONFIDENCE_GUIDANCE = (
    "The supervisor's 0–10 confidence at each cycle's reflection: a leading indicator while "
    "results lag. Read it before the patience horizon, when value and efficiency cannot show "
    "yet; a falling line is a reason to talk, not to stop."
)


def confidence_chart(pilot: Pilot, workgroups: list[Workgroup]) -> Chart:
    """Each workgroup's confidence (0–10) by cycle number (one query)."""
    names = {w.pk: w.name for w in workgroups[:MAX_GROUPS]}
    cycles = (
        Cycle.objects.filter(workgroup_id__in=names, confidence__isnull=False)
        .order_by("workgroup_id", "number")
        .values_list("workgroup_id", "number", "confidence")
    )
    rows = [[names[g], number, confidence] for g, number, confidence in cycles]
    rows.sort(key=lambda r: (r[0], r[1]))
    title = f"{pilot.name}: confidence per workgroup over cycles"
    data = []
    for i, name in enumerate(sorted({r[0] for r in rows})):
        mine = [r for r in rows if r[0] == name]
        colour = PALETTE[i % len(PALETTE)]
        data.append(_line(name, [r[1] for r in mine], [r[2] for r in mine], colour))
    layout = _layout(title, "Cycle", "Confidence (0–10)")
    layout["xaxis"] |= {"dtick": 1, "tick0": 1}
    layout["yaxis"] |= {"range": [0, 10.5], "dtick": 2}
    columns = ["workgroup", "cycle", "confidence"]
    return Chart("confidence", title, data, layout, columns, rows)


# ---- 7. confidence per pilot: the portfolio's leading indicator ---------------------------

PORTFOLIO_CONFIDENCE_GUIDANCE = (
    "Each pilot's mean 0–10 supervisor confidence over its latest cycles, with its trend "
    "against the cycles before: confidence rising while value lags is a reason for "
    "patience, not for stopping."
)
MAX_CONFIDENCE_PILOTS = 30


def portfolio_confidence_chart(rows: list[DashboardRow]) -> Chart:
    """Pilots by mean confidence over their latest cycles (bars, colour = approach), the
    trend beside each bar; rows need `add_confidence` first. Running pilots first, then by
    name, at most MAX_CONFIDENCE_PILOTS."""
    rated = [r for r in rows if r.confidence is not None]
    rated.sort(key=lambda r: (r.pilot.status != "running", r.pilot.name, r.pilot.pk))
    shown = rated[:MAX_CONFIDENCE_PILOTS]
    title = "Pilots: supervisors' confidence over their latest cycles"
    table = [
        [
            r.pilot.name,
            r.pilot.get_approach_display(),
            r.pilot.get_status_display(),
            r.confidence.cycles,
            r.confidence.latest,
            r.confidence.before if r.confidence.before is not None else "",
            r.confidence.trend if r.confidence.trend is not None else "",
            r.confidence.trend_label,
        ]
        for r in shown
    ]
    data = []
    for approach in Approach:
        mine = [
            (r, line) for r, line in zip(shown, table, strict=True) if r.pilot.approach == approach
        ]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": approach.label,
                "y": [plotly_text(line[0]) for _, line in mine],
                "x": [line[4] for _, line in mine],
                "text": [_trend_text(r) for r, _ in mine],
                # Inside the bar where it fits (a phone's narrow bars), else beside it.
                "textposition": "auto",
                "insidetextanchor": "end",
                "cliponaxis": False,
                "hovertemplate": "%{y}<br>Confidence %{x:.1f}/10 (%{text})<extra></extra>",
                "marker": {"color": APPROACH_COLOURS[approach]},
            }
        )
    layout = _layout(title, "Mean confidence (0–10)", "", barmode="group")
    layout["xaxis"] |= {"range": [0, 12], "dtick": 2}
    layout["yaxis"] |= {"autorange": "reversed", "title": {"text": ""}}
    layout["height"] = max(260, 120 + 34 * len(shown))
    layout["margin"]["b"] = 90
    columns = [
        "pilot", "approach", "status", "cycles_read", "mean_confidence_latest",
        "mean_confidence_before", "trend", "reading",
    ]  # fmt: skip
    note = (
        f"Showing {len(shown)} of {len(rated)} pilots with confidence: running ones first."
        if len(shown) < len(rated)
        else ""
    )
    return Chart("confidence", title, data, layout, columns, table, note)


def _trend_text(row: DashboardRow) -> str:
    trend = row.confidence.trend
    if trend is None:
        return "first cycles"
    return f"{row.confidence.trend_label} {trend:+.1f}"

"""Downloads: a chart's table as CSV or XLSX (exactly the plotted numbers) and the dashboard
table as XLSX, all through core/exports.py."""

from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from core.exports import XLSX, spreadsheet_safe, table_response
from portfolio.charts import Chart
from portfolio.models import OrganisationSettings
from portfolio.selectors import FLAG_LABELS, DashboardRow

__all__ = ["XLSX", "chart_export", "chart_csv", "dashboard_xlsx", "spreadsheet_safe"]


def chart_export(chart: Chart, filename: str, fmt: str = "csv") -> HttpResponse:
    """A chart's data table (exactly the plotted numbers) as CSV or XLSX."""
    return table_response(chart.columns, chart.rows, filename=filename, fmt=fmt, sheet=chart.key)


def chart_csv(chart: Chart, filename: str) -> HttpResponse:
    return chart_export(chart, filename, "csv")


def dashboard_table(rows: list[DashboardRow]) -> tuple[list[str], list[list]]:
    currency = OrganisationSettings.load().currency
    header = [
        "Pilot", "Approach", "Status", "Sponsor", "Org unit", "People", "Weeks run",
        "Patience horizon (weeks)", f"Value created ({currency})",
        f"Efficiency gains ({currency})", "Efficiency hours", "Cycles", "Baselines",
        "Self-containment (0-100)", "Confidence, latest cycles (0-10)", "Confidence trend",
        "Risk flags",
    ]  # fmt: skip
    body = [
        [
            r.pilot.name,
            r.pilot.get_approach_display(),
            r.pilot.get_status_display(),
            r.pilot.sponsor.full_name,
            r.pilot.org_unit.name if r.pilot.org_unit else "",
            r.people,
            r.weeks_run,
            r.horizon_weeks,
            float(r.value),
            float(r.efficiency),
            float(r.totals.efficiency_hours) if r.totals else 0.0,
            r.cadence_label,
            r.baseline_label,
            r.self_containment,
            r.confidence.latest if r.confidence else "",
            _trend(r),
            "; ".join(FLAG_LABELS[f] for f in r.flags),
        ]
        for r in rows
    ]
    return header, body


def _trend(row: DashboardRow) -> str:
    if row.confidence is None:
        return ""
    trend = row.confidence.trend
    return row.confidence.trend_label + ("" if trend is None else f" {trend:+.1f}")


def dashboard_xlsx(rows: list[DashboardRow]) -> HttpResponse:
    header, body = dashboard_table(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "Portfolio"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in body:
        sheet.append([spreadsheet_safe(cell) for cell in line])
    sheet.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJKLMN", [28, 18, 11, 20, 18, 8, 10, 12, 16, 16, 12, 18, 14, 40], strict=True
    ):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="portfolio.xlsx"'
    return response

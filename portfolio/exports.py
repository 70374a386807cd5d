"""Downloads: a chart's table as CSV (exactly the plotted numbers) and the dashboard table
as XLSX."""

import csv
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from portfolio.charts import Chart
from portfolio.models import OrganisationSettings
from portfolio.selectors import FLAG_LABELS, DashboardRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A name typed as "=HYPERLINK(…)" must not become a formula in the leader's spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def chart_csv(chart: Chart, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    writer.writerow(chart.columns)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in chart.rows)
    return response


def dashboard_table(rows: list[DashboardRow]) -> tuple[list[str], list[list]]:
    currency = OrganisationSettings.load().currency
    header = [
        "Pilot", "Approach", "Status", "Sponsor", "Org unit", "People", "Weeks run",
        "Patience horizon (weeks)", f"Value created ({currency})",
        f"Efficiency gains ({currency})", "Efficiency hours", "Cycles", "Baselines",
        "Self-containment (0-100)", "Risk flags",
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
            "; ".join(FLAG_LABELS[f] for f in r.flags),
        ]
        for r in rows
    ]
    return header, body


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

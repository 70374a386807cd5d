"""The one way a table leaves the app: CSV or XLSX of exactly the rows a page shows (every
chart's data table, the supervisor's metric charts, the dashboard)."""

import csv
from io import BytesIO

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# A name typed as "=HYPERLINK(…)" must not become a formula in the reader's spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def table_response(
    columns: list[str], rows: list[list], *, filename: str, fmt: str, sheet: str = "Data"
) -> HttpResponse:
    """An attachment `filename.csv` or `filename.xlsx` holding the header and the rows."""
    if fmt not in FORMATS:
        raise Http404("Exports are CSV or XLSX.")
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(columns)
        writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    else:
        book = Workbook()
        page = book.active
        page.title = sheet[:31]
        page.append(columns)
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in rows:
            page.append([spreadsheet_safe(cell) for cell in row])
        page.freeze_panes = "A2"
        out = BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response

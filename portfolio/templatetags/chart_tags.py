"""The data table under each chart, built in one pass: the portfolio scatter's table has up to
300 rows, and a template loop per cell cost more than the rest of the dashboard."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def chart_table_body(chart) -> SafeString:
    """`<tr>`s of the chart's rows: the first cell as text, the figures right-aligned."""
    if not chart.rows:
        return format_html('<tr><td colspan="{}">No data yet.</td></tr>', len(chart.columns))
    return format_html_join(
        "",
        "<tr><td>{}</td>{}</tr>",
        (
            (first, format_html_join("", '<td class="num">{}</td>', ((cell,) for cell in rest)))
            for first, *rest in chart.rows
        ),
    )


@register.filter
def xlsx_url(csv_url: str) -> str:
    """The XLSX twin of a chart's CSV address (every `….csv` chart route has a `….xlsx`)."""
    path, _, query = str(csv_url).partition("?")
    path = path[: -len(".csv")] + ".xlsx" if path.endswith(".csv") else path
    return f"{path}?{query}" if query else path

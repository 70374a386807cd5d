"""Redefine's colours, once, for the charts the server builds (Plotly figures).

The pages' stylesheet declares the same colours as CSS variables in `:root` of
static/css/redefine.css (`CSS_VARIABLES` below names which); tests/core/test_palette.py
fails when the two drift apart, so change a colour in both.
"""

INK = "#1d2733"
MUTED = "#5b6776"
GOOD = "#1f7a4d"  # better than before; value created; the work-redefinition approach
ACCENT = "#2458d3"  # links and buttons; efficiency gains; the job-redesign approach
WARN = "#9a6200"
BAD = "#b42318"  # worse; late
VALUE = GOOD
EFFICIENCY = ACCENT
BASELINE = "#b26a00"  # the frozen baseline and the zone where it protects
GRID = "#b0b7bf"  # zero lines and neutral borders
MARKER = "#7f8c8d"  # a dotted "this is when" line
PURPLE = "#8e44ad"

# Series without a colour of their own, in order (the first two are the approaches').
SERIES = [GOOD, ACCENT, "#d98b1f", PURPLE, "#16a2b8", MARKER, "#c0392b"]

# The CSS variables of static/css/redefine.css that hold these colours.
CSS_VARIABLES = {
    "--ink": INK,
    "--muted": MUTED,
    "--good": GOOD,
    "--accent": ACCENT,
    "--warn": WARN,
    "--bad": BAD,
    "--value": VALUE,
    "--efficiency": EFFICIENCY,
}


def translucent(colour: str, alpha: float) -> str:
    """`#rrggbb` as a CSS `rgba()` with this opacity (Plotly's bands and fills)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"

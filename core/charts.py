"""What every chart builder must do with words it did not write itself: make them text.

Plotly renders strings as a small HTML dialect (`<a href>`, `<b>`, `<br>`, `<span style>`) in
trace names, point text, hover text, axis titles and annotations, so a pilot called
`<a href="https://evil.example/">x</a>` would become a link inside the chart. Plotly decodes
the entities `&lt;`, `&gt;` and `&amp;` after it has parsed its tags, so escaping exactly these
three makes a name render as the characters typed. Only Plotly input goes through here: the
HTML around a chart is escaped by Django's templates, and tables and CSVs keep the raw text.
"""

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def plotly_text(value) -> str:
    """A user-supplied string as Plotly should draw it: literally."""
    return str(value).translate(_ESCAPES)

"""The charts (core/palette.py) and the pages (static/css/redefine.css) use one set of colours."""

import re
from pathlib import Path

from django.conf import settings

from core import palette


def root_variables() -> dict[str, str]:
    css = (Path(settings.BASE_DIR) / "static" / "css" / "redefine.css").read_text()
    root = re.search(r":root\s*{(.*?)}", css, re.S).group(1)
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", root))


def test_the_stylesheet_declares_every_chart_colour_it_shares_with_the_same_value():
    declared = root_variables()
    assert {name: declared.get(name) for name in palette.CSS_VARIABLES} == palette.CSS_VARIABLES

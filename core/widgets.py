"""Form widgets shared by the apps."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

SELECTED = mark_safe(" selected")  # noqa: S308 - a constant attribute, no user input


class OnePassSelect(forms.Select):
    """A `<select>` of flat choices written in one pass. Django renders each option through
    its own template, about 0.1 ms an option: a tenth of a second for the thousand sponsors
    and org units a large organisation's filters list. Same HTML, attributes and selection."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), SELECTED if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


class DateInput(forms.DateInput):
    """A browser date picker. It shows only ISO dates (`2026-09-10`): with the locale's
    format (`10/09/2026`) an edit form comes back empty and its Save fails."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

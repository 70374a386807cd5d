"""The project's form renderer: Django's, with our one field partial (templates/_field.html)."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "_field.html"

"""The project's form renderer: Django's, with our one field partial (templates/_field.html)."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "_field.html"


def errors_onto(form, error) -> None:
    """Show a service's refusal (a `DomainError`) on the form that asked for it: each
    problem on the field it names, or on top; the refusal's message on top when no field of
    this form is named."""
    for name, problems in error.fields.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)
    if not any(name in form.fields for name in error.fields):
        form.add_error(None, error.message)

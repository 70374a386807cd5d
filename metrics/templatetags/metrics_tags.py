"""Template tags of the metrics app: the pilot page's baseline section, self-contained so
that the pilots app only has to name a template, not compute metrics context."""

from django import template

from metrics.selectors import pilot_baselines_context

register = template.Library()


@register.inclusion_tag("metrics/_pilot_baselines.html", takes_context=True)
def pilot_baselines(context):
    pilot, request = context["pilot"], context["request"]
    return {
        "pilot": pilot,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    } | pilot_baselines_context(pilot, request.user)

"""Template tags of the evidence app: the pilot page's section and the effect beside the
review decision, self-contained so the pilots app only names a template."""

from django import template

from evidence.sections import comparison_context, effect_for_page, followups_context

register = template.Library()


@register.inclusion_tag("evidence/_pilot_section.html", takes_context=True)
def pilot_evidence(context):
    pilot, request = context["pilot"], context["request"]
    return {
        "pilot": pilot,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "comparison": comparison_context(pilot, request.user),
        "followups": followups_context(pilot, request.user),
    }


@register.inclusion_tag("evidence/_decision_effect.html", takes_context=True)
def decision_effect(context):
    pilot = context["pilot"]
    return {"pilot": pilot, "effect": effect_for_page(pilot) if pilot.started_at else None}


@register.filter
def signed(value, places=2):
    """+1.23 / −1.23 with a real minus sign."""
    if value is None:
        return "—"
    text = f"{abs(value):,.{int(places)}f}"
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)

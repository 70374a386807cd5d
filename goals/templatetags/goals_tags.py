"""The goals section of the pilot page, as an inclusion tag (see pilots.views.EXTRA_SECTIONS)."""

from django import template

from goals.permissions import can_read_goals, can_set_pilot_goals

register = template.Library()


@register.inclusion_tag("goals/_pilot_goals.html", takes_context=True)
def pilot_goals(context):
    pilot, user = context["pilot"], context["request"].user
    goals = []
    if can_read_goals(user):
        goals = list(pilot.goals.select_related("org_unit").order_by("title", "id"))
    return {"pilot": pilot, "goals": goals, "can_set": can_set_pilot_goals(user, pilot)}

"""The weekly split on other pages: the one-tap card (My groups) and a person's trend
(as an SVG of bars with its data table), drawn on the server so it needs no script."""

from django import template

from core.roles import Role, has_role
from weekly.charts import trend_view
from weekly.forms import CHOICES
from weekly.permissions import can_read
from weekly.selectors import open_weeks, person_trend

register = template.Library()


@register.inclusion_tag("weekly/_trend.html")
def split_trend(person, viewer, title="Strategy and detail, week by week"):
    """A person's trend, for viewers the rules allow (nothing otherwise)."""
    if person is None or not can_read(viewer, person):
        return {"view": {"shown": False}}
    return {"view": trend_view(person, person_trend(person), title)}


@register.inclusion_tag("weekly/_card.html", takes_context=True)
def weekly_card(context):
    """The one-tap card for the viewing supervisor, posting back to the page it is on: shown
    to holders of the supervisor role and to whoever the page lists as coaching a group."""
    request = context["request"]
    user = request.user
    if not (has_role(user, Role.SUPERVISOR) or context.get("coached")):
        return {"shown": False}
    person = getattr(user, "person", None)
    if person is None:
        return {"shown": False}
    trend = person_trend(person)
    return {
        "shown": True,
        "weeks": open_weeks(trend)[:1],
        "choices": CHOICES,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        "trend": trend_view(person, trend, "Your last weeks"),
    }

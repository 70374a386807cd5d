"""The weekly split on other pages: the one-tap card (My groups) and a person's trend
(as an SVG of bars with its data table), drawn on the server so it needs no script."""

from django import template

from weekly.forms import CHOICES
from weekly.permissions import can_read, is_supervisor
from weekly.selectors import person_trend

register = template.Library()

BAR_WIDTH, GAP, HEIGHT = 18, 6, 60


def bars(trend) -> list[dict]:
    """Geometry of the trend's bars in a 0–HEIGHT viewBox; weeks without entry get a tick."""
    shapes = []
    for n, week in enumerate(trend):
        height = HEIGHT * week.strategic_percent / 100 if week.strategic_percent is not None else 0
        shapes.append(
            {
                "x": n * (BAR_WIDTH + GAP),
                "y": HEIGHT - height,
                "height": height,
                "week": week,
            }
        )
    return shapes


@register.inclusion_tag("weekly/_trend.html")
def split_trend(person, viewer, title="Strategy and detail, week by week"):
    """A person's trend, for viewers the rules allow (nothing otherwise)."""
    if person is None or not can_read(viewer, person):
        return {"shown": False}
    trend = person_trend(person)
    return {
        "shown": True,
        "person": person,
        "title": title,
        "bars": bars(trend),
        "width": len(trend) * (BAR_WIDTH + GAP) - GAP,
        "bar_width": BAR_WIDTH,
        "height": HEIGHT,
        "recorded": [w for w in trend if w.strategic_percent is not None],
    }


@register.inclusion_tag("weekly/_card.html", takes_context=True)
def weekly_card(context):
    """The one-tap card for the viewing supervisor, posting back to the page it is on."""
    from weekly.views import open_weeks

    request = context["request"]
    if not is_supervisor(request.user):
        return {"shown": False}
    person = request.user.person
    return {
        "shown": True,
        "weeks": open_weeks(person)[:1],
        "choices": CHOICES,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        "person": person,
        "user": request.user,
    }

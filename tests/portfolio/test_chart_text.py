"""Names typed by people reach Plotly as text: no string of any chart carries markup that came
from a pilot, workgroup, metric unit or currency, and the tables keep the raw characters."""

import json
import re

import pytest
from django.urls import reverse

from core.charts import plotly_text
from metrics.selectors import my_metrics
from portfolio.rollups import rollups_refresh

from .conftest import build_portfolio, make_cycle, metric

pytestmark = pytest.mark.django_db

HOSTILE = '<a href="https://evil.example/">x</a>'
UNIT = '<a href="//evil.example">u</a>'  # a unit holds 32 characters
# The markup our own chart code writes on purpose (bold panel titles, hover line breaks).
OURS = re.compile(r"</?b>|<br>|<extra></extra>")


def strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def assert_no_foreign_markup(figure: dict) -> None:
    # What Plotly draws; a chart's "title" is the HTML heading above it, escaped by Django.
    for text in strings([figure["data"], figure["layout"]]):
        assert "<" not in OURS.sub("", text), text


@pytest.fixture
def hostile_portfolio(alice, carol, rate):
    pilots = build_portfolio(alice, carol, pilots=2, prefix=HOSTILE)
    for workgroup in pilots[0].workgroups.all():
        workgroup.name = f"{HOSTILE} {workgroup.pk}"
        workgroup.save(update_fields=["name"])
    make_cycle(pilots[0].workgroups.first(), number=2, started="2026-07-20", completed="2026-07-25")
    rollups_refresh()
    return pilots


def test_a_hostile_pilot_name_reaches_the_dashboard_charts_only_as_text(
    client, alice, hostile_portfolio
):
    client.force_login(alice)
    charts = client.get(reverse("portfolio:dashboard")).context["charts"]
    for chart in charts:
        assert_no_foreign_markup(chart.as_dict())
    scatter = next(c for c in charts if c.key == "scatter")
    labels = [t for trace in scatter.data for t in trace["text"]]
    assert plotly_text(f"{HOSTILE} 1") in labels
    # The table beside the chart (and its CSV) shows the name as typed; Django escapes it.
    assert f"{HOSTILE} 1" in [row[0] for row in scatter.rows]


def test_hostile_workgroup_names_reach_a_pilots_charts_only_as_text(
    client, alice, hostile_portfolio
):
    client.force_login(alice)
    url = reverse("portfolio:pilot", args=[hostile_portfolio[0].pk])
    response = client.get(url)
    for chart in response.context["charts"]:
        assert_no_foreign_markup(chart.as_dict())
    names = {t["name"] for c in response.context["charts"] for t in c.data}
    assert any(name.startswith(plotly_text(HOSTILE)) for name in names)
    # The json_script on the page carries the escaped form, never a raw tag.
    assert "https://evil.example/\\u0022\\u003Ex\\u003C/a\\u003E" not in response.content.decode()


def test_a_hostile_metric_unit_is_text_on_my_metrics_chart(carol, hostile_portfolio):
    from metrics.models import MetricDefinition

    MetricDefinition.objects.filter(kind="performance").delete()
    metric("errors", UNIT, "performance")
    cards = my_metrics(carol.person)["cards"]
    assert cards
    for card in cards:
        assert_no_foreign_markup(card.chart)
        assert card.chart["layout"]["yaxis"]["title"]["text"] == plotly_text(UNIT)


def test_plotly_text_escapes_exactly_what_plotly_would_parse():
    assert plotly_text("R&D <b>") == "R&amp;D &lt;b&gt;"
    assert plotly_text("&lt;") == "&amp;lt;"  # typed entities stay as typed
    assert plotly_text('"quotes" and ünïcödé') == '"quotes" and ünïcödé'
    assert json.loads(json.dumps(plotly_text(HOSTILE))) == plotly_text(HOSTILE)


def test_a_hostile_metric_unit_is_text_on_the_event_study_chart():
    import datetime as dt
    from types import SimpleNamespace

    from evidence.charts import event_study_chart
    from evidence.estimator import EventWeek

    metric = SimpleNamespace(key="errors", name=HOSTILE, unit=UNIT)
    weeks = [EventWeek(i, 1.0, 0.5, 1.5, 2, 3) for i in (-1, 0, 1)]
    chart = event_study_chart(
        SimpleNamespace(metric=metric, event_weeks=weeks), [dt.date(2026, 1, 5)]
    )
    assert_no_foreign_markup(chart.as_dict())

"""Each chart's CSV holds exactly the plotted numbers, and payloads stay small."""

import csv
import io
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from portfolio.rollups import rollups_refresh

from .conftest import build_portfolio, make_cycle

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def as_text(rows) -> list[list[str]]:
    return [[str(cell) for cell in row] for row in rows]


@pytest.fixture
def portfolio(alice, carol, rate):
    pilots = build_portfolio(alice, carol, pilots=3)
    make_cycle(pilots[0].workgroups.first(), number=2, started="2026-07-20", completed="2026-07-25")
    rollups_refresh()
    return pilots


def charts_of(client, url) -> dict:
    return {chart.key: chart for chart in client.get(url).context["charts"]}


def test_each_dashboard_csv_matches_its_chart_table(client, alice, portfolio):
    client.force_login(alice)
    for key, chart in charts_of(client, reverse("portfolio:dashboard")).items():
        response = client.get(reverse("portfolio:chart_csv", args=[key]))
        assert response["Content-Type"].startswith("text/csv")
        assert csv_rows(response) == [chart.columns, *as_text(chart.rows)]


def test_each_pilot_csv_matches_its_chart_table(client, alice, portfolio):
    client.force_login(alice)
    pilot = portfolio[0]
    for key, chart in charts_of(client, reverse("portfolio:pilot", args=[pilot.pk])).items():
        response = client.get(reverse("portfolio:pilot_chart_csv", args=[pilot.pk, key]))
        assert csv_rows(response) == [chart.columns, *as_text(chart.rows)]


def test_the_tables_hold_exactly_the_plotted_numbers(client, alice, portfolio):
    client.force_login(alice)
    pilot_charts = charts_of(client, reverse("portfolio:pilot", args=[portfolio[0].pk]))
    value = pilot_charts["value-vs-efficiency"]
    assert [r[1] for r in value.rows] == value.data[0]["y"]
    assert [r[2] for r in value.rows] == value.data[1]["y"]
    scatter = charts_of(client, reverse("portfolio:dashboard"))["scatter"]
    plotted = [
        (x, y) for trace in scatter.data for x, y in zip(trace["x"], trace["y"], strict=True)
    ]
    assert plotted == [(r[2], r[3]) for r in scatter.rows]
    cadence = pilot_charts["cadence"]
    drawn = [y for trace in cadence.data[::2] for y in trace["y"]]
    assert drawn == [r[3] for r in cadence.rows]


def test_the_value_chart_marks_the_start_and_the_patience_horizon(client, alice, portfolio):
    client.force_login(alice)
    chart = charts_of(client, reverse("portfolio:pilot", args=[portfolio[0].pk]))[
        "value-vs-efficiency"
    ]
    assert [s["x0"] for s in chart.layout["shapes"]] == ["2026-06-01", "2026-11-30"]
    assert chart.layout["yaxis"]["title"]["text"] == "Cumulative EUR"


def test_cadence_gaps_longer_than_the_cadence_are_marked_overdue(client, alice, portfolio):
    client.force_login(alice)
    chart = charts_of(client, reverse("portfolio:pilot", args=[portfolio[0].pk]))["cadence"]
    first_group = [r for r in chart.rows if r[0] == "Group 1"]
    # pilot start 1 Jun → cycle 3 Jun (2 d) → cycle 20 Jul (47 d, late) → today (late)
    assert [(r[3], r[5]) for r in first_group][:2] == [(2, "no"), (47, "yes")]


def test_every_chart_payload_stays_under_50_kb(client, alice, portfolio):
    client.force_login(alice)
    pages = [reverse("portfolio:dashboard"), reverse("portfolio:pilot", args=[portfolio[0].pk])]
    for url in pages:
        for chart in charts_of(client, url).values():
            assert len(json.dumps(chart.as_dict(), cls=DjangoJSONEncoder)) < 50_000
            assert all(len(trace.get("x", [])) <= 2000 for trace in chart.data)


def test_a_pilot_page_of_someone_elses_pilot_is_not_found(client, bob, portfolio):
    client.force_login(bob)
    assert client.get(reverse("portfolio:pilot", args=[portfolio[0].pk])).status_code == 404
    url = reverse("portfolio:pilot_chart_csv", args=[portfolio[0].pk, "cadence"])
    assert client.get(url).status_code == 404


def test_an_unknown_chart_is_not_found(client, alice, portfolio):
    client.force_login(alice)
    assert client.get(reverse("portfolio:chart_csv", args=["pie"])).status_code == 404


def test_a_workgroup_name_that_looks_like_a_formula_is_neutralised_in_the_csv(
    client, alice, carol, rate
):
    from .conftest import make_pilot, make_workgroup

    pilot = make_pilot(alice)
    make_workgroup(pilot, carol, name="=cmd|' /C calc'!A0")
    client.force_login(alice)
    response = client.get(reverse("portfolio:pilot_chart_csv", args=[pilot.pk, "cadence"]))
    assert csv_rows(response)[1][0].startswith("'=")


def test_a_large_portfolio_and_a_large_pilot_still_fit_in_50_kb(client, alice, carol, rate):
    from portfolio.charts import MAX_GROUPS, MAX_SCATTER, SCATTER_LABELS

    from .conftest import make_pilot, make_workgroup

    pilots = [make_pilot(alice, name=f"A pilot with a long name {n:04d}") for n in range(400)]
    for g in range(20):
        workgroup = make_workgroup(pilots[0], carol, name=f"Workgroup number {g:02d}")
        for n in range(12):
            day = f"2026-{6 + n // 3:02d}-{1 + 9 * (n % 3):02d}"
            make_cycle(workgroup, number=n + 1, started=day, completed=day)
    rollups_refresh()
    client.force_login(alice)
    pages = [reverse("portfolio:dashboard"), reverse("portfolio:pilot", args=[pilots[0].pk])]
    charts = {k: c for url in pages for k, c in charts_of(client, url).items()}
    for chart in charts.values():
        assert len(json.dumps(chart.as_dict(), cls=DjangoJSONEncoder)) < 50_000, chart.key
    assert len(charts["scatter"].rows) == MAX_SCATTER > SCATTER_LABELS
    assert "largest of 400 pilots" in charts["scatter"].note
    groups = {row[0] for row in charts["leading-indicators"].rows}
    assert len(groups) == MAX_GROUPS and "Other groups (13)" in groups
    assert len({row[0] for row in charts["cadence"].rows}) == MAX_GROUPS

"""The supervisor's My metrics page and the pilot page's baseline section."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from metrics.alerts import alerts_create_below_baseline
from metrics.baselines import baselines_freeze_for_start
from metrics.models import Baseline
from metrics.selectors import pilot_baseline_status, pilot_baselines_context

from .conftest import START, mark_running, start_of, weekly

TODAY = START + dt.timedelta(weeks=6, days=2)
BEFORE = START - dt.timedelta(weeks=4)


@pytest.fixture
def running(pilot, cases, handling, carol, dan):
    for person in (carol.person, dan.person):
        weekly(cases, person, ["10"] * 4, BEFORE)
        weekly(handling, person, ["30"] * 4, BEFORE)
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot))
    weekly(cases, carol.person, ["6"] * 6, START)  # carol dips below her baseline of 10
    weekly(handling, carol.person, ["25"] * 6, START)
    mark_running(pilot)
    alerts_create_below_baseline()
    return pilot


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a, **k: TODAY if not a else a[0].date()
    )


def test_a_supervisor_sees_actual_baseline_protected_value_and_the_alert(
    client, running, carol, frozen_today
):
    client.force_login(carol)
    page = client.get("/metrics/").content.decode()
    assert "HR sees your <strong>protected value</strong>" in page
    assert 'data-metric="cases_closed"' in page
    assert "Below baseline 4 weeks" in page
    assert "6.00 cases" in page and "10.00 cases" in page
    assert 'id="metric-chart-cases_closed"' in page
    assert "vendor/plotly/plotly.min.js" in page and "js/metrics_mine.js" in page


def test_a_supervisor_never_sees_a_peers_figures(client, running, dan, frozen_today):
    client.force_login(dan)
    page = client.get("/metrics/").content.decode()
    assert "Below baseline" not in page  # dan has no data after start; carol's dip is hers


def test_the_sponsor_sees_the_alerts_of_their_pilot(client, running, bob, frozen_today):
    client.force_login(bob)
    page = client.get("/metrics/").content.decode()
    assert page.count("data-sponsor-alert") == 6


def test_without_a_pilot_hr_sees_the_actual(client, cases, carol):
    client.force_login(carol)
    assert "HR sees your <strong>actual</strong>" in client.get("/metrics/").content.decode()


def test_my_metrics_costs_the_same_queries_at_two_sizes(
    client, running, carol, cases, frozen_today, django_assert_num_queries
):
    client.force_login(carol)
    # session, user, person, metrics, protecting pilot, baselines, actuals, weekly series,
    # own alerts, sponsor alerts; the nav's context processor: groups, user and group perms
    with django_assert_num_queries(13):
        client.get("/metrics/")
    weekly(cases, carol.person, ["1"] * 20, START - dt.timedelta(weeks=24), source="survey")
    with django_assert_num_queries(13):
        client.get("/metrics/")


def test_the_pilot_section_shows_each_supervisors_status(running, bob, carol, cases):
    from metrics.baselines import baseline_rebaseline

    status = {s.person.external_id: s for s in pilot_baseline_status(running)}
    assert status["P-CAROL"].status == "frozen"
    assert (status["P-CAROL"].weeks_below, status["P-DAN"].weeks_below) == (6, 0)
    assert [b.observation_count for b in status["P-CAROL"].rows] == [4, 4]
    baseline_rebaseline(pilot=running, person=carol.person, metric=cases, by=bob, reason="fix")
    status = {s.person.external_id: s for s in pilot_baseline_status(running)}
    assert status["P-CAROL"].status == "re-baselined" and len(status["P-CAROL"].rows) == 3


def test_the_pilot_section_shows_overridden_gaps(pilot, cases, carol, dan):
    weekly(cases, carol.person, ["1"], BEFORE)
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot), override_reason="Dan is new")
    status = {s.person.external_id: s.status for s in pilot_baseline_status(pilot)}
    assert status == {"P-CAROL": "frozen", "P-DAN": "overridden"}


def test_the_partial_renders_a_rebaseline_form_only_for_the_sponsor(running, bob, carol):
    request = RequestFactory().get(f"/pilots/{running.pk}/")
    for user, has_form in ((bob, True), (carol, False)):
        request.user = user
        context = {"pilot": running, "request": request} | pilot_baselines_context(running, user)
        html = render_to_string("metrics/_pilot_baselines.html", context, request=request)
        assert ("Re-baseline a supervisor" in html) is has_form
        assert html.count('data-baseline-row="P-CAROL"') == 2


def test_the_sponsor_rebaselines_from_the_page(client, running, bob, carol, cases):
    client.force_login(bob)
    answer = client.post(
        f"/metrics/pilots/{running.pk}/rebaseline/",
        {"person": carol.person.pk, "metric": cases.pk, "reason": "HRIS fix", "next": "/pilots/1/"},
    )
    assert answer.status_code == 302 and answer.url == "/pilots/1/"
    assert Baseline.objects.filter(person=carol.person, metric=cases).count() == 2


def test_a_supervisor_cannot_rebaseline(client, running, carol, cases):
    client.force_login(carol)
    client.post(
        f"/metrics/pilots/{running.pk}/rebaseline/",
        {
            "person": carol.person.pk,
            "metric": cases.pk,
            "reason": "mine",
            "next": "https://evil.example/",
        },
    )
    assert Baseline.objects.filter(person=carol.person, metric=cases).count() == 1


def test_the_section_tag_shows_peers_rows_only_to_the_sponsor_and_portfolio(
    running, bob, carol, dan, erin, alice, hilda
):
    from django.template import engines

    section = engines["django"].get_template("metrics/_pilot_baselines_section.html")
    visible = {}
    for user in (bob, carol, dan, erin, alice, hilda):
        request = RequestFactory().get(f"/pilots/{running.pk}/")
        request.user = user
        html = section.render({"pilot": running, "request": request}, request)
        visible[user.username] = {
            who for who in ("P-CAROL", "P-DAN") if f'data-baseline-row="{who}"' in html
        }
    assert visible == {
        "bob": {"P-CAROL", "P-DAN"},
        "carol": {"P-CAROL"},
        "dan": {"P-DAN"},
        "erin": set(),
        "alice": {"P-CAROL", "P-DAN"},
        "hilda": {"P-CAROL", "P-DAN"},
    }


def test_the_section_renders_inside_the_pilot_page_when_listed(client, running, bob, monkeypatch):
    monkeypatch.setattr("pilots.views.EXTRA_SECTIONS", ["metrics/_pilot_baselines_section.html"])
    client.force_login(bob)
    page = client.get(f"/pilots/{running.pk}/").content.decode()
    assert 'id="baselines"' in page
    assert page.count('data-baseline-row="P-CAROL"') == 2
    assert "Re-baseline a supervisor" in page

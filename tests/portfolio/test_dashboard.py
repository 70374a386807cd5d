"""The portfolio dashboard: who sees what, constant queries, filters, flags and the export."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pilots.models import Approach, PilotStatus
from portfolio.models import RollupState
from portfolio.rollups import rollups_refresh

from .conftest import build_portfolio, make_pilot, make_workgroup

pytestmark = pytest.mark.django_db
URL = reverse("portfolio:dashboard")


def pilot_ids(response) -> set[int]:
    return {row.pilot.pk for row in response.context["rows"]}


def test_a_portfolio_leader_sees_every_pilot(client, alice, bob, carol, rate):
    mine = make_pilot(alice, name="Alice's")
    bobs = make_pilot(bob, name="Bob's")
    client.force_login(alice)
    assert pilot_ids(client.get(URL)) == {mine.pk, bobs.pk}


def test_a_sponsor_without_the_portfolio_right_sees_only_their_own_pilots(client, alice, bob):
    make_pilot(alice, name="Alice's")
    bobs = make_pilot(bob, name="Bob's")
    client.force_login(bob)
    assert pilot_ids(client.get(URL)) == {bobs.pk}


def test_supervisors_and_people_without_a_role_are_refused(client, carol, mallory):
    for user in (carol, mallory):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("size", [2, 6])
def test_the_dashboard_takes_the_same_queries_whatever_the_number_of_pilots(
    client, alice, carol, rate, size, django_assert_num_queries
):
    build_portfolio(alice, carol, pilots=size)
    rollups_refresh()
    client.force_login(alice)
    client.get(URL)  # warm the session and permission caches
    # session, user, user and group permissions (2), pilots, settings, totals, month
    # rollups, the page's workgroups with cadence and self-containment sums, freshness,
    # groups (menu roles), filter choices: sponsors, org units, effect snapshots, follow-up
    # waves with their counts (evidence), the supervisors' weekly splits (strategic share),
    # the cycles' confidence (the confidence chart and column)
    with django_assert_num_queries(17):
        response = client.get(URL)
    assert len(response.context["rows"]) == size


def test_filters_narrow_by_approach_and_status(client, alice, rate):
    redefinition = make_pilot(alice, name="R")
    make_pilot(alice, name="D", approach=Approach.JOB_REDESIGN)
    make_pilot(alice, name="Draft", status=PilotStatus.DRAFT, started_at=None)
    client.force_login(alice)
    response = client.get(URL, {"approach": "work_redefinition", "status": "running"})
    assert pilot_ids(response) == {redefinition.pk}


def test_a_bad_filter_value_is_a_form_error_not_a_crash(client, alice):
    make_pilot(alice)
    client.force_login(alice)
    response = client.get(URL, {"sponsor": "not-a-number", "status": "exploded"})
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_risk_flags_show_structure_cadence_and_baseline_problems(client, alice, carol, rate):
    build_portfolio(alice, carol, pilots=1)
    client.force_login(alice)
    flags = client.get(URL).context["rows"][0].flags
    assert {"low_self_containment", "competing_initiatives", "overdue_cycles"} <= set(flags)
    assert "missing_baselines" in flags  # no baseline was frozen for carol


def test_a_running_pilot_with_flat_value_before_its_horizon_is_near_a_premature_stop(
    client, alice, carol, rate
):
    started = timezone.now() - timedelta(weeks=12)
    flat = make_pilot(alice, name="Flat", started_at=started, patience_horizon_weeks=26)
    make_workgroup(flat, carol)
    late = make_pilot(alice, name="Past horizon", started_at=started, patience_horizon_weeks=10)
    rollups_refresh()
    client.force_login(alice)
    rows = {row.pilot.pk: row for row in client.get(URL).context["rows"]}
    assert "near_premature_stop" in rows[flat.pk].flags
    assert "near_premature_stop" not in rows[late.pk].flags


def test_the_page_says_how_fresh_the_figures_are(client, alice, rate):
    RollupState.objects.create(pk=1, refreshed_at=timezone.now() - timedelta(seconds=40))
    client.force_login(alice)
    assert "updated 40 s ago" in client.get(URL).content.decode()


def test_the_xlsx_export_holds_the_dashboard_table(client, alice, carol, rate):
    build_portfolio(alice, carol, pilots=2)
    rollups_refresh()
    client.force_login(alice)
    response = client.get(reverse("portfolio:export"), {"approach": "job_redesign"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Pilot" and rows[0][8] == "Value created (EUR)"
    assert [r[0] for r in rows[1:]] == ["Pilot 2"]
    # 1000 + 1000 (two addressed opportunities) + 1000 (pilot observation)
    assert rows[1][8] == 3000.0


def test_a_leader_can_ask_for_a_recalculation(
    client, alice, rate, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portfolio:refresh"))
    assert response.status_code == 302
    assert RollupState.objects.get(pk=1).refreshed_at is not None


def test_names_that_look_like_formulas_stay_text_in_the_xlsx_export(client, alice, rate):
    make_pilot(alice, name='=HYPERLINK("http://evil")')
    client.force_login(alice)
    sheet = load_workbook(BytesIO(client.get(reverse("portfolio:export")).content)).active
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value.startswith("'=")


def test_hr_admins_edit_the_organisation_settings_in_the_admin(client, hilda, rate):
    client.force_login(hilda)
    url = reverse("admin:portfolio_organisationsettings_change", args=[1])
    assert client.get(url).status_code == 200
    response = client.post(url, {"hourly_rate": "80", "currency": "EUR"})
    assert response.status_code == 302


def test_a_sponsor_does_not_learn_other_sponsors_names_from_the_filter(client, alice, bob):
    make_pilot(alice, name="Alice's")
    make_pilot(bob, name="Bob's")
    client.force_login(bob)
    choices = client.get(URL).context["filter"].form.fields["sponsor"].queryset
    assert [p.full_name for p in choices] == ["Bob"]


def test_the_table_is_paged_while_totals_and_charts_cover_every_filtered_pilot(
    client, alice, carol, rate, monkeypatch
):
    monkeypatch.setattr("portfolio.views.PILOTS_PER_PAGE", 2)
    build_portfolio(alice, carol, pilots=3)
    rollups_refresh()
    client.force_login(alice)
    first, second = client.get(URL), client.get(URL, {"page": 2})
    assert [r.pilot.name for r in first.context["page"].object_list] == ["Pilot 1", "Pilot 2"]
    assert [r.pilot.name for r in second.context["page"].object_list] == ["Pilot 3"]
    # Every pilot counts in the totals and the charts; the last page's rows carry their flags.
    assert first.context["totals"].value == second.context["totals"].value
    assert first.context["totals"].value == sum(r.value for r in first.context["rows"]) > 0
    assert "overdue_cycles" in second.context["page"].object_list[0].flags
    html = first.content.decode()
    assert "Page 1 of 2" in html and 'href="?page=2"' in html
    assert f'data-pilot="{second.context["page"].object_list[0].pilot.pk}"' not in html


def test_paging_keeps_the_filters(client, alice, carol, rate, monkeypatch):
    monkeypatch.setattr("portfolio.views.PILOTS_PER_PAGE", 1)
    build_portfolio(alice, carol, pilots=3)  # pilots 1 and 3 are work redefinition
    client.force_login(alice)
    response = client.get(URL, {"approach": "work_redefinition", "page": 2})
    assert [r.pilot.name for r in response.context["page"].object_list] == ["Pilot 3"]
    assert 'href="?approach=work_redefinition&amp;page=1"' in response.content.decode()


def test_a_page_number_out_of_range_shows_the_last_page(client, alice, rate, monkeypatch):
    monkeypatch.setattr("portfolio.views.PILOTS_PER_PAGE", 1)
    make_pilot(alice, name="A")
    make_pilot(alice, name="B")
    client.force_login(alice)
    page = client.get(URL, {"page": "99"}).context["page"]
    assert (page.number, [r.pilot.name for r in page.object_list]) == (2, ["B"])

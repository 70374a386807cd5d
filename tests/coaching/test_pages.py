"""Coaching pages: My groups, the cycle page's guided flow, the sponsor's timeline; who may
read and write them; and query counts that do not grow with the history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from coaching import services
from coaching.models import Cycle, Opportunity, Stage

from .conftest import make_pilot, make_workgroup, run_full_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(workgroup, carol):
    return services.cycle_start(workgroup=workgroup, by=carol)


def _as(client, user):
    client.force_login(user)
    return client


def test_my_groups_shows_the_one_next_step_and_the_overdue_badge(client, carol, bob):
    make_workgroup(make_pilot(bob, started_days_ago=30), carol, name="Late group")
    page = _as(client, carol).get(reverse("coaching:mine"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Late group" in html and "Overdue · 30 days" in html
    assert html.count("data-next-step") == 1 and "Start a cycle" in html


def test_starting_a_cycle_from_my_groups_opens_its_data_stage(client, carol, workgroup):
    page = _as(client, carol).post(reverse("coaching:cycle_start", args=[workgroup.pk]))
    cycle = Cycle.objects.get()
    assert page.status_code == 302
    assert page.url == reverse("coaching:cycle", args=[cycle.pk]) + "#stage-data"


def test_the_supervisor_walks_a_cycle_through_its_stages(client, carol, erin, cycle):
    _as(client, carol)
    url = reverse("coaching:cycle", args=[cycle.pk])
    client.post(f"{url}data/", {"data_sought": "Wait times", "complete": "1"})
    client.post(f"{url}actions/", {"description": "Shadow a shift", "kind": "task"})
    client.post(
        f"{url}actions/",
        {"description": "Coffee with billing", "kind": "relationship", "owner": erin.person.pk},
    )
    client.post(f"{url}actions/done/")
    client.post(
        f"{url}reflection/", {"learned": "Billing waits on us", "confidence": "6", "complete": "1"}
    )
    client.post(f"{url}adaptation/", {"changes_next": "Daily handoff", "complete": "1"})
    cycle.refresh_from_db()
    assert cycle.stage == Stage.COMPLETED
    assert sorted(cycle.actions.values_list("kind", flat=True)) == ["relationship", "task"]
    html = client.get(url).content.decode()
    assert html.count('data-state="done"') == 4 and "<form" in html  # logout form only
    assert 'action="' + f"{url}data/" not in html


def test_a_stage_saves_on_its_own_without_moving_on(client, carol, cycle):
    url = reverse("coaching:cycle_data", args=[cycle.pk])
    _as(client, carol).post(url, {"data_sought": "Draft notes", "save": "1"})
    cycle.refresh_from_db()
    assert (cycle.stage, cycle.data_sought) == (Stage.DATA, "Draft notes")


def test_future_stages_are_greyed_and_have_no_form(client, carol, cycle):
    html = _as(client, carol).get(reverse("coaching:cycle", args=[cycle.pk])).content.decode()
    assert html.count('data-state="future"') == 3 and html.count('data-state="current"') == 1
    assert reverse("coaching:cycle_reflection", args=[cycle.pk]) not in html


def test_a_refused_move_comes_back_as_a_form_error(client, carol, cycle):
    url = reverse("coaching:cycle_actions_done", args=[cycle.pk])
    page = _as(client, carol).post(url)
    assert page.status_code == 409
    assert "No skipping to the action stage: this cycle is at data." in page.content.decode()


def test_bad_input_is_a_400_with_the_form_error(client, carol, cycle):
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.REFLECTION)
    url = reverse("coaching:cycle_reflection", args=[cycle.pk])
    page = _as(client, carol).post(url, {"learned": "x", "confidence": "12"})
    assert page.status_code == 400
    assert "less than or equal to 10" in page.content.decode()


def test_opportunities_are_added_addressed_and_dropped_from_the_cycle_page(client, carol, cycle):
    _as(client, carol)
    client.post(
        reverse("coaching:opportunity_add", args=[cycle.pk]),
        {"title": "Reuse old quotes", "estimated_value": "5000", "efficiency_unit": "hours"},
    )
    client.post(
        reverse("coaching:opportunity_add", args=[cycle.pk]),
        {"title": "Nightly batch", "efficiency_unit": "money"},
    )
    first, second = Opportunity.objects.order_by("id")
    client.post(
        reverse("coaching:opportunity_address", args=[cycle.pk, first.pk]),
        {"realised_value": "4200"},
    )
    client.post(reverse("coaching:opportunity_drop", args=[cycle.pk, second.pk]), {"reason": "IT"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.realised_value) == ("addressed", Decimal("4200"))
    assert second.status == "dropped"


def test_abandoning_from_the_page_needs_a_reason(client, carol, cycle):
    url = reverse("coaching:cycle_abandon", args=[cycle.pk])
    assert _as(client, carol).post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Merger"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.stage == Stage.ABANDONED


def test_the_timeline_shows_cycles_stage_dates_opportunities_and_the_strip(
    client, bob, carol, workgroup
):
    done = run_full_cycle(workgroup, carol)
    services.opportunity_add(
        cycle=services.cycle_start(workgroup=workgroup, by=carol), by=carol, title="Shared inbox"
    )
    html = _as(client, bob).get(reverse("coaching:timeline", args=[workgroup.pk])).content.decode()
    assert 'data-cycle="1"' in html and 'data-cycle="2"' in html
    assert done.data_done_at.strftime("%-d %b") in html
    assert "Shared inbox" in html and "<svg" in html and 'class="gap' in html


# -- who may see and do what ------------------------------------------------------------

READERS = {"carol": 200, "bob": 200, "alice": 200, "dan": 404, "erin": 404, "mallory": 404}
WRITERS = {"carol": 302, "bob": 403, "alice": 403, "dan": 404, "erin": 404, "mallory": 404}


@pytest.mark.parametrize("username", READERS)
def test_the_cycle_page_and_timeline_are_for_the_coach_and_overseers(
    client, request, username, cycle, other_workgroup, alice, mallory
):
    _as(client, request.getfixturevalue(username))
    page = client.get(reverse("coaching:cycle", args=[cycle.pk]))
    assert page.status_code == READERS[username]
    timeline = client.get(reverse("coaching:timeline", args=[cycle.workgroup_id]))
    assert timeline.status_code == READERS[username]


@pytest.mark.parametrize("username", WRITERS)
def test_only_the_supervisor_writes_the_cycle(
    client, request, username, cycle, other_workgroup, alice, mallory
):
    _as(client, request.getfixturevalue(username))
    page = client.post(reverse("coaching:cycle_data", args=[cycle.pk]), {"data_sought": "Mine now"})
    assert page.status_code == WRITERS[username]
    cycle.refresh_from_db()
    assert (cycle.data_sought == "Mine now") == (username == "carol")


def test_overseers_see_no_forms_on_the_cycle_page(client, bob, cycle):
    html = _as(client, bob).get(reverse("coaching:cycle", args=[cycle.pk])).content.decode()
    assert reverse("coaching:cycle_data", args=[cycle.pk]) not in html
    assert reverse("coaching:cycle_abandon", args=[cycle.pk]) not in html


def test_sponsors_see_their_overdue_groups_on_my_groups(client, bob, carol):
    make_workgroup(make_pilot(bob, started_days_ago=40), carol, name="Slow group")
    html = _as(client, bob).get(reverse("coaching:mine")).content.decode()
    assert "Groups you oversee" in html and "Slow group" in html and "data-overdue" in html


def test_anonymous_visitors_are_sent_to_log_in(client, cycle):
    assert client.get(reverse("coaching:cycle", args=[cycle.pk])).status_code == 302


# -- constant queries ---------------------------------------------------------------------


def _history(bob, supervisor, groups: int, cycles: int):
    for g in range(groups):
        workgroup = make_workgroup(make_pilot(bob, name=f"P{g}"), supervisor, name=f"G{g}")
        for _ in range(cycles):
            run_full_cycle(workgroup, supervisor)
        open_cycle = services.cycle_start(workgroup=workgroup, by=supervisor)
        services.opportunity_add(cycle=open_cycle, by=supervisor, title=f"O{g}")
        last = workgroup
    return last


@pytest.mark.parametrize("groups,cycles", [(1, 1), (4, 5)])
def test_my_groups_costs_the_same_whatever_the_history(
    client, bob, carol, django_assert_num_queries, groups, cycles
):
    _history(bob, carol, groups, cycles)
    _as(client, carol)
    # session, user, coached groups with cadence, their open cycles, two permission reads
    # (portfolio right), the count of overseen groups (none: no page to read, no prefetch),
    # reminders, role groups (nav), and for the weekly-split card the supervisor's person
    # and their last twelve weeks
    with django_assert_num_queries(11):
        assert client.get(reverse("coaching:mine")).status_code == 200


@pytest.mark.parametrize("groups,cycles", [(1, 1), (1, 8)])
def test_the_timeline_costs_the_same_whatever_the_history(
    client, bob, carol, django_assert_num_queries, groups, cycles
):
    workgroup = _history(bob, carol, groups, cycles)
    _as(client, bob)
    # session, user, two permission reads (portfolio right), workgroup with cadence,
    # cycles with their action mix, opportunities with their cycles, role groups (nav), and
    # the supervisor's weekly trend: may the sponsor read it, and its twelve weeks
    with django_assert_num_queries(10):
        assert client.get(reverse("coaching:timeline", args=[workgroup.pk])).status_code == 200


@pytest.mark.parametrize("groups,cycles", [(1, 1), (4, 5)])
def test_my_groups_for_a_sponsor_costs_the_same_whatever_the_history(
    client, bob, carol, django_assert_num_queries, groups, cycles
):
    _history(bob, carol, groups, cycles)
    _as(client, bob)
    # session, user, coached groups (none, so no open-cycle prefetch), two permission reads
    # (portfolio right), the count of overseen groups (for the pager), one page of them with
    # cadence, their open cycles, reminders, role groups (nav)
    with django_assert_num_queries(10):
        assert client.get(reverse("coaching:mine")).status_code == 200


def _groups(pilot, supervisor, n):
    for g in range(n):
        make_workgroup(pilot, supervisor, name=f"G{g:02d}")


@pytest.mark.parametrize("groups", [3, 60])
def test_my_groups_for_a_leader_costs_the_same_beyond_a_page(
    client, alice, bob, carol, django_assert_num_queries, groups
):
    _groups(make_pilot(bob, started_days_ago=40), carol, groups)
    _as(client, alice)
    # session, user, coached groups (none), two permission reads (portfolio right), the count
    # of overseen groups, one page of them with cadence, their open cycles, reminders, role
    # groups (nav)
    with django_assert_num_queries(10):
        assert client.get(reverse("coaching:mine")).status_code == 200


def test_overseen_groups_are_fifty_a_page_overdue_first(client, bob, carol):
    _groups(make_pilot(bob, started_days_ago=5, name="A on cadence"), carol, 53)
    late = make_pilot(bob, started_days_ago=60, name="Z late")
    overdue = [make_workgroup(late, carol, name=f"Late {n}") for n in range(2)]
    html = _as(client, bob).get(reverse("coaching:mine")).content.decode()
    assert html.count("data-overdue") == 2 and html.count("<tr data-workgroup=") == 50
    assert html.index(f'data-workgroup="{overdue[1].pk}"') < html.index(">G00<")
    assert "Page 1 of 2 · 1–50 of 55" in html and 'href="?page=2"' in html
    html = client.get(reverse("coaching:mine"), {"page": 2}).content.decode()
    assert html.count("<tr data-workgroup=") == 5 and ">G52<" in html
    assert "data-overdue" not in html


def test_a_supervisors_own_groups_are_never_paged(client, bob, carol):
    _groups(make_pilot(bob, started_days_ago=5), carol, 55)
    html = _as(client, carol).get(reverse("coaching:mine")).content.decode()
    assert html.count('<article class="card group"') == 55 and 'class="pager"' not in html


def test_the_data_stage_links_observations_of_the_group(client, carol, cycle, workgroup):
    from metrics.models import MetricDefinition, Observation

    metric = MetricDefinition.objects.create(
        key="wait-days",
        name="Wait days",
        unit="days",
        kind="efficiency",
        direction="lower_is_better",
        aggregation="mean",
    )
    observation = Observation.objects.create(
        metric=metric,
        subject_type="workgroup",
        subject_id=workgroup.pk,
        period_start="2026-10-01",
        period_end="2026-10-31",
        value=3,
        source="demo",
    )
    url = reverse("coaching:cycle", args=[cycle.pk])
    assert "Wait days: 3" in _as(client, carol).get(url).content.decode()
    client.post(f"{url}data/", {"data_sought": "Waits", "observation_ids": [observation.pk]})
    assert list(cycle.observations.all()) == [observation]


def test_a_completed_latest_cycle_offers_the_next_one(client, carol, workgroup):
    first = run_full_cycle(workgroup, carol)
    url = reverse("coaching:cycle", args=[first.pk])
    assert "Start the next cycle" in _as(client, carol).get(url).content.decode()
    services.cycle_start(workgroup=workgroup, by=carol)
    assert "Start the next cycle" not in client.get(url).content.decode()

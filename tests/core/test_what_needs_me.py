"""The home page lists what waits for the person, each item with its one next action, and
nothing that waits for somebody else."""

import datetime as dt
import html

import pytest
from django.utils import timezone

from hrapi.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from hrapi.services import api_client_create
from metrics.models import BelowBaselineAlert, ImportJob, ImportStatus, MetricDefinition
from pilots.models import Pilot, PilotStatus
from tests.factories import PilotFactory, make_workgroup
from tests.pilots.conftest import approve, complete_charter, make_pilot, running_pilot
from tests.pilots.conftest import make_workgroup as make_workgroup_through_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def workgroup(bob, carol, erin):
    """bob's draft "Claims pilot", whose workgroup "Triage" carol supervises, erin a member."""
    return make_workgroup_through_services(make_pilot(bob), bob, carol, members=[erin])


@pytest.fixture
def ready_pilot(workgroup, bob, carol):
    complete_charter(workgroup, bob, carol)
    return approve(workgroup.pilot, bob)


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def waiting(page: str) -> str:
    """The "What needs you" section only, so a tile's words do not count as an item."""
    start = page.index('id="what-needs-me"')
    return html.unescape(page[start : page.index("</section>", start)])


def _metric():
    return MetricDefinition.objects.create(
        key="first_contact_resolution",
        name="First-contact resolution",
        unit="%",
        kind="performance",
        direction="higher_is_better",
        aggregation="mean",
    )


def _alert(pilot, person, metric, *, weeks_ago=1):
    start = timezone.localdate() - dt.timedelta(weeks=weeks_ago, days=6)
    return BelowBaselineAlert.objects.create(
        pilot=pilot,
        person=person,
        metric=metric,
        period_start=start,
        period_end=start + dt.timedelta(days=6),
        actual=70,
        baseline=80,
    )


def _days_ago(days: int):
    return timezone.now() - dt.timedelta(days=days)


# --- supervisors ------------------------------------------------------------------------------


def test_a_supervisor_sees_sign_your_charter_first(client, bob, carol, workgroup):
    running_pilot(bob, carol, name="Billing pilot", at=_days_ago(30))
    section = waiting(home(client, carol))
    assert section.index("Sign your charter") < section.index("Start a cycle")
    assert f'href="/pilots/charters/{workgroup.pk}/"' in section
    assert "Your charter for Triage (Claims pilot) waits for your signature." in section


def test_a_supervisor_does_not_see_another_supervisors_charter(client, dan, workgroup):
    section = waiting(home(client, dan))
    assert "Triage" not in section and "Sign your charter" not in section
    assert "Nothing waits for you" in section


def test_a_signed_charter_no_longer_waits(client, bob, carol, workgroup):
    complete_charter(workgroup, bob, carol)
    assert "Sign your charter" not in waiting(home(client, carol))


def test_an_overdue_group_offers_to_start_its_next_cycle(client, bob, carol):
    pilot = running_pilot(bob, carol, name="Billing pilot", at=_days_ago(20))
    group = pilot.workgroups.get()
    section = waiting(home(client, carol))
    due = "Billing pilot group (Billing pilot) is due a coaching cycle: 20 days since the pilot"
    assert f"{due} started, against a cadence of 14." in section
    assert f'action="/coaching/workgroups/{group.pk}/start/"' in section


def test_an_overdue_group_offers_to_carry_on_its_open_cycle(client, bob, carol):
    from coaching.models import Cycle
    from coaching.services import cycle_start

    pilot = running_pilot(bob, carol, name="Billing pilot", at=_days_ago(40))
    cycle = cycle_start(workgroup=pilot.workgroups.get(), by=carol)
    Cycle.objects.filter(pk=cycle.pk).update(started_at=_days_ago(20))
    section = waiting(home(client, carol))
    assert "Carry on cycle 1" in section and f'href="/coaching/cycles/{cycle.pk}/"' in section


def test_a_group_on_cadence_does_not_wait(client, bob, carol):
    running_pilot(bob, carol, name="Billing pilot", at=_days_ago(3))
    assert "due a coaching cycle" not in waiting(home(client, carol))


def test_a_supervisor_sees_their_own_below_baseline_weeks_and_not_a_peers(client, bob, carol, dan):
    pilot = running_pilot(bob, carol, name="Billing pilot", at=_days_ago(3))
    _alert(pilot, carol.person, _metric())
    section = waiting(home(client, carol))
    assert "First-contact resolution was below your frozen baseline for 1 week" in section
    assert 'href="/metrics/"' in section
    assert "baseline" not in waiting(home(client, dan))


# --- sponsors ---------------------------------------------------------------------------------


def test_a_sponsor_confirms_an_assurance_from_home(client, bob, workgroup):
    section = waiting(home(client, bob))
    assert "Confirm that Claims pilot will not count against Carol's performance metrics" in section
    assert f'action="/pilots/charters/{workgroup.pk}/assurance/"' in section
    client.post(f"/pilots/charters/{workgroup.pk}/assurance/")
    assert "Confirm the assurance" not in waiting(home(client, bob))


def test_another_leader_does_not_see_bobs_assurances(client, alice, workgroup):
    assert "Confirm the assurance" not in waiting(home(client, alice))


def test_a_sponsor_sees_a_pilot_ready_to_start(client, bob, ready_pilot):
    section = waiting(home(client, bob))
    assert "Claims pilot is approved: start it once its checklist is complete." in section
    assert f'href="/pilots/{ready_pilot.pk}/#lifecycle"' in section


def test_a_sponsor_sees_a_pilot_whose_review_date_has_come(client, bob, carol):
    pilot = running_pilot(bob, carol, at=_days_ago(6))
    Pilot.objects.filter(pk=pilot.pk).update(review_date=pilot.planned_start)
    section = waiting(home(client, bob))
    assert "Claims pilot reached its review date on 1 Dec 2026." in section
    assert "Begin the review" in section


def test_a_sponsor_sees_a_pilot_near_its_patience_horizon(client, bob, carol):
    pilot = running_pilot(bob, carol, at=_days_ago(26 * 7 - 5))
    horizon = timezone.localdate(Pilot.objects.get(pk=pilot.pk).patience_horizon_ends)
    section = waiting(home(client, bob))
    assert f"Claims pilot reaches its patience horizon on {horizon:%-d %b %Y}." in section


def test_a_young_running_pilot_does_not_wait_for_its_sponsor(client, bob, carol):
    running_pilot(bob, carol, at=_days_ago(20))
    section = waiting(home(client, bob))
    assert "Begin the review" not in section and "patience horizon" not in section


def test_a_sponsor_sees_below_baseline_weeks_of_their_supervisors_only(client, alice, bob, carol):
    pilot = running_pilot(bob, carol, at=_days_ago(3))
    _alert(pilot, carol.person, _metric())
    section = waiting(home(client, bob))
    assert "Carol was below their frozen baseline for 1 week (Claims pilot)" in section
    assert f'href="/pilots/{pilot.pk}/#baselines"' in section
    # alice reads the portfolio but sponsors none of it: the reassurance is bob's to give.
    assert "below their frozen baseline" not in waiting(home(client, alice))


# --- portfolio leaders ------------------------------------------------------------------------


def test_a_portfolio_leader_sees_another_leaders_draft_to_approve(client, alice, workgroup):
    section = waiting(home(client, alice))
    assert "Claims pilot, sponsored by Bob, waits for approval." in section
    assert "Review and approve" in section


def test_a_portfolio_leader_is_not_asked_to_approve_their_own_draft(client, alice, dan):
    own = make_pilot(alice, name="Alice's pilot")
    make_workgroup_through_services(own, alice, dan)
    assert "waits for approval" not in waiting(home(client, alice))


def test_a_draft_without_a_workgroup_does_not_wait_for_approval(client, alice, bob):
    make_pilot(bob)
    assert "waits for approval" not in waiting(home(client, alice))


def test_a_sponsor_without_the_portfolio_right_approves_nothing(client, alice, bob, dan):
    theirs = make_pilot(alice, name="Alice's pilot")
    make_workgroup_through_services(theirs, alice, dan)
    assert "waits for approval" not in waiting(home(client, bob))


# --- HR admins --------------------------------------------------------------------------------


def _failed_import(name="march.csv"):
    return ImportJob.objects.create(
        file="metric-imports/march.csv",
        original_name=name,
        status=ImportStatus.FAILED,
        errors=[{"index": 1, "field": "value", "message": "Not a number."}],
        message="1 row(s) have errors; nothing was written.",
    )


def _failed_delivery(client_name="payroll"):
    api_client = api_client_create(name=client_name, scopes=["pilots:read"])[0]
    subscription = WebhookSubscription.objects.create(
        client=api_client, url=f"https://{client_name}.example/hook", events=["pilot.started"]
    )
    event = WebhookEvent.objects.create(event="pilot.started", occurred_at=timezone.now(), data={})
    return WebhookDelivery.objects.create(
        subscription=subscription,
        webhook_event=event,
        event=event.event,
        status=DeliveryStatus.FAILED,
    )


def test_an_hr_admin_sees_the_refused_rows_of_a_recent_import(client, hilda):
    job = _failed_import()
    section = waiting(home(client, hilda))
    assert "march.csv was refused: 1 row(s) have errors; nothing was written." in section
    assert f'href="/metrics/imports/{job.pk}/"' in section


def test_an_hr_admin_sees_failed_webhook_deliveries(client, hilda):
    delivery = _failed_delivery()
    section = waiting(home(client, hilda))
    assert "1 webhook delivery to payroll (https://payroll.example/hook) failed." in section
    assert f'href="/integrations/webhooks/{delivery.subscription_id}/"' in section


def test_a_failed_delivery_delivered_again_no_longer_waits(client, hilda):
    failed = _failed_delivery()
    WebhookDelivery.objects.create(
        subscription=failed.subscription,
        webhook_event=failed.webhook_event,
        event=failed.event,
        redelivery_of=failed,
        status=DeliveryStatus.DELIVERED,
    )
    assert "webhook" not in waiting(home(client, hilda))


def test_only_hr_admins_see_imports_and_deliveries(client, alice):
    _failed_import()
    _failed_delivery()
    section = waiting(home(client, alice))
    assert "march.csv" not in section and "webhook" not in section


# --- nothing waiting --------------------------------------------------------------------------


def test_a_member_is_told_nothing_waits_and_keeps_their_tiles(client, erin, workgroup):
    page = home(client, erin)
    assert "Nothing waits for you" in waiting(page)
    assert 'data-role="member"' in page


# --- a constant number of queries -------------------------------------------------------------


def _waiting_for_everyone(n: int, *, alice, bob, carol, metric):
    """n of each thing that waits: rows written straight (factories), so carol may coach
    several running groups at once without the seat rule of the pilots services."""
    for i in range(n):
        draft = PilotFactory(sponsor=bob.person, name=f"Draft {i}")
        make_workgroup(draft, carol, name=f"Draft group {i}")
        PilotFactory(sponsor=bob.person, name=f"Approved {i}", status=PilotStatus.APPROVED)
        running = PilotFactory(
            sponsor=bob.person,
            name=f"Running {i}",
            status=PilotStatus.RUNNING,
            started_at=_days_ago(200),
        )
        make_workgroup(running, carol, name=f"Running group {i}")
        _alert(running, carol.person, metric, weeks_ago=1)
        _failed_import(f"import-{i}.csv")
        _failed_delivery(f"client-{i}")


# Per page, whatever the number of rows: 1 the session, 2 the user, 3 their person (the
# greeting), 4 their role groups; then one query per list of the roles they hold, and the
# two permission reads of `sees_portfolio` / `is_hr_admin` (cached on the user once read).
QUERIES = {
    # 5 charters to sign, 6 overdue groups, 7 their open cycles (prefetch), 8 own alerts,
    # 9 + 10 permissions (does the supervisor also see the portfolio, or HR data?)
    "carol": 10,
    # 5 assurances, 6 approved/running/reviewing pilots, 7 supervisors' alerts, 8 + 9
    # permissions (no portfolio right, no HR: no more lists)
    "bob": 9,
    # bob's three lists (empty for her), 8 + 9 permissions, 10 other leaders' drafts
    "alice": 10,
    # 5 + 6 permissions, 7 failed imports, 8 failed deliveries
    "hilda": 8,
}


@pytest.mark.parametrize("n", [1, 4])
@pytest.mark.parametrize("who", sorted(QUERIES))
def test_the_home_page_reads_a_constant_number_of_queries(
    client, request, django_assert_num_queries, alice, bob, carol, hilda, n, who
):
    _waiting_for_everyone(n, alice=alice, bob=bob, carol=carol, metric=_metric())
    user = request.getfixturevalue(who)
    client.force_login(user)
    with django_assert_num_queries(QUERIES[who]):
        page = client.get("/").content.decode()
    assert page.count('class="waiting-item"') >= n

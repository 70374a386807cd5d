"""The pilot page's evidence section: the side-by-side proposal before the start (the
sponsor ticks the groups), the effect with its event-study charts after it, the effect
beside the review decision, and the re-selection form."""

from django.urls import reverse

from evidence.models import ComparisonChoice, ComparisonSet
from pilots.models import Pilot, PilotStatus


def page(client, user, pilot):
    client.force_login(user)
    return client.get(reverse("pilots:detail", args=[pilot.pk]))


def test_before_the_start_the_sponsor_sees_the_proposal_side_by_side(client, data, bob, pool):
    html = page(client, bob, data).content.decode()
    assert "data-proposal" in html
    assert html.count("data-treated=") == 4
    assert html.count("data-candidate=") == 6
    assert html.count('name="workgroups"') == 6
    assert "Save the comparison group" in html


def test_a_member_sees_the_proposal_but_cannot_choose(client, data, erin):
    html = page(client, erin, data).content.decode()
    assert "data-proposal" in html and 'name="workgroups"' not in html


def test_the_sponsor_saves_a_choice_that_the_start_freezes(client, data, bob, pool):
    client.force_login(bob)
    response = client.post(
        reverse("evidence:comparison", args=[data.pk]),
        {"workgroups": [g.pk for g in pool[:3]]},
    )
    assert response.status_code == 302
    assert set(ComparisonChoice.objects.get(pilot=data).workgroups.all()) == set(pool[:3])


def test_another_user_posting_a_choice_is_refused(client, data, alice, carol, pool):
    for user in (carol, alice):
        client.force_login(user)
        response = client.post(
            reverse("evidence:comparison", args=[data.pk]), {"workgroups": [pool[0].pk]}
        )
        assert response.status_code == 403
    assert not ComparisonChoice.objects.exists()


def test_a_stranger_gets_a_404_on_the_choice(client, data, dan, pool):
    client.force_login(dan)
    response = client.post(reverse("evidence:comparison", args=[data.pk]), {"workgroups": [1]})
    assert response.status_code == 404


def test_garbage_workgroup_ids_are_a_message_not_a_500(client, data, bob):
    client.force_login(bob)
    for junk in (["abc"], ["99999999999999999999"], ["-1"], ["\x00"]):
        response = client.post(reverse("evidence:comparison", args=[data.pk]), {"workgroups": junk})
        assert response.status_code == 302


def test_after_the_start_the_page_shows_the_effect_and_the_event_study(client, started, bob):
    html = page(client, bob, started).content.decode()
    assert 'data-effect="hours_freed"' in html and "data-estimate" in html
    assert "data-pretrend-note" in html and "supports the comparison, but does not prove" in html
    assert 'id="plot-event-study-hours_freed"' in html
    assert "data-money" in html and "EUR" in html
    assert "Re-select the comparison group" in html


def test_the_event_study_csv_downloads(client, started, bob):
    client.force_login(bob)
    response = client.get(
        reverse("evidence:chart_csv", args=[started.pk, "event-study-hours_freed"])
    )
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("week,week starting,gap,low,high")
    assert len(lines) > 12
    missing = client.get(reverse("evidence:chart_csv", args=[started.pk, "nope"]))
    assert missing.status_code == 404


def test_the_review_page_shows_the_effect_beside_the_decision(client, started, bob):
    Pilot.objects.filter(pk=started.pk).update(status=PilotStatus.REVIEWING)
    html = page(client, bob, started).content.decode()
    decision = html[html.index('id="decide"') :]
    assert 'id="decision-effect"' in decision
    assert 'data-decision-effect="hours_freed"' in decision


def test_a_reselection_from_the_page_needs_a_reason(client, started, bob, pool):
    client.force_login(bob)
    target = reverse("evidence:comparison", args=[started.pk])
    client.post(target, {"workgroups": [g.pk for g in pool], "reason": ""})
    assert ComparisonSet.objects.filter(pilot=started).count() == 1
    client.post(target, {"workgroups": [g.pk for g in pool], "reason": "Six is fairer."})
    assert ComparisonSet.objects.filter(pilot=started).count() == 2
    html = page(client, bob, started).content.decode()
    assert "data-first-version" in html and 'data-version="2"' in html


def test_the_evidence_section_takes_the_same_queries_whatever_the_comparisons_size(
    client, started, alice, pool, bob
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evidence import services

    client.force_login(alice)  # a portfolio leader: reads everything, re-selects nothing
    url = reverse("pilots:detail", args=[started.pk])
    client.get(url)
    counts = []
    for groups in (pool[:3], pool):
        services.comparison_reselect(pilot=started, workgroups=groups, reason="size", by=bob)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]

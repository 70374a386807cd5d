"""The portfolio dashboard's "effect vs comparison" and "still redefined" columns, read in a
constant number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evidence import services
from evidence.models import FollowUpAnswer, FollowUpWave
from tests.evidence.conftest import pilot_of

URL = reverse("portfolio:dashboard")


def queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    return response, len(captured)


def test_the_dashboard_shows_the_effect_and_the_score_in_constant_queries(client, started, alice):
    client.force_login(alice)
    client.get(URL)
    _, before = queries(client)
    services.effect_snapshot_refresh(pilot_id=started.pk)
    wave = FollowUpWave.objects.create(
        pilot=started, offset_weeks=6, due_on=timezone.localdate(), sent_at=timezone.now()
    )
    FollowUpAnswer.objects.bulk_create(
        FollowUpAnswer(wave=wave, still_redefined=score) for score in (6, 7, 8, 9, 10)
    )
    for n in range(3):
        pilot_of(alice, f"Other {n}", status="draft")
    response, after = queries(client)
    assert after == before
    row = response.content.decode()
    cell = row[row.index("data-effect-cell") :][:600]
    assert "data-effect-estimate=" in cell, cell
    assert ">8.0</span>" in row and "+6 weeks" in row


def test_fewer_than_five_answers_show_no_score(client, started, alice):
    wave = FollowUpWave.objects.create(
        pilot=started, offset_weeks=6, due_on=timezone.localdate(), sent_at=timezone.now()
    )
    FollowUpAnswer.objects.bulk_create(
        FollowUpAnswer(wave=wave, still_redefined=9) for _ in range(4)
    )
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert ">9.0</span>" not in html


def test_pre_period_observations_of_a_workgroup_are_not_the_pilots_gains(started, pool):
    """The comparison needs weeks of data before the start; the portfolio counts a
    workgroup's hours only while its pilot runs (a draft's next wave counts nothing)."""
    from decimal import Decimal

    from django.db.models import Sum

    from metrics.models import Observation
    from portfolio.rollups import rollups_refresh
    from portfolio.selectors import pilot_totals

    rollups_refresh()
    ids = list(started.workgroups.values_list("pk", flat=True))
    after = Observation.objects.filter(
        metric__key="hours_freed", subject_id__in=ids, period_start__gte=started.started_at.date()
    ).aggregate(total=Sum("value"))["total"]
    totals = pilot_totals([started.pk, pool[0].pilot_id])
    assert totals[started.pk].efficiency_hours == Decimal(after).quantize(Decimal("0.01"))
    assert pool[0].pilot_id not in totals or not totals[pool[0].pilot_id].efficiency_hours

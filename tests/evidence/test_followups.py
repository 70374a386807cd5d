"""Follow-ups: scheduled when a pilot that ran ends, sent by the scheduler through the
outbox with a signed one-time link (stored hashed, single use, expiring), answered on a
short form, anonymous answers kept apart from the person, shown in groups of five or more."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, NotAllowed
from evidence import followups
from evidence.models import FollowUpAnswer, FollowUpInvitation, FollowUpWave
from evidence.tasks import send_due_followups
from pilots import services
from pilots.models import Pilot, WorkgroupMember
from tests.evidence.conftest import person

ANSWER = {
    "worked_best": "Weekly problem hunts with the customer team",
    "keep": "The weekly problem hunts",
    "hope_next": "More time for problem hunts",
    "in_the_way": "Month-end reporting",
    "still_redefined": "8",
    "anonymous": "on",
}


@pytest.fixture
def ended(started, bob, org):
    """The pilot stopped (after its people grew to eight), so its follow-ups are scheduled."""
    for n in range(4):
        workgroup = started.workgroups.order_by("id")[n]
        WorkgroupMember.objects.create(workgroup=workgroup, person=person(f"M{n}", org))
    pilot = Pilot.objects.get(pk=started.pk)
    services.pilot_stop(pilot=pilot, by=bob, reason="Budget moved to the next wave.")
    return Pilot.objects.get(pk=started.pk)


def _send(today):
    ids = followups.waves_send_due(today=today)
    for invitation_id in ids:
        followups.invitation_email(invitation_id=invitation_id)
    return ids


def links():
    return [
        re.search(r"/evidence/followups/answer/([\w-]+)/", m.body).group(1) for m in mail.outbox
    ]


def test_ending_a_pilot_schedules_the_four_follow_ups(ended):
    waves = FollowUpWave.objects.filter(pilot=ended).order_by("offset_weeks")
    end = timezone.localdate(ended.ended_at)
    assert [(w.offset_weeks, w.due_on) for w in waves] == [
        (weeks, end + dt.timedelta(weeks=weeks)) for weeks in (6, 26, 52, 104)
    ]


def test_a_pilot_stopped_before_it_ran_gets_no_follow_ups(data, bob):
    services.pilot_stop(pilot=Pilot.objects.get(pk=data.pk), by=bob, reason="Never mind.")
    assert not FollowUpWave.objects.filter(pilot=data).exists()


def test_the_sponsor_edits_the_plan_and_unsent_waves_move(ended, bob, carol):
    with pytest.raises(NotAllowed):
        followups.followup_plan_update(pilot=ended, offsets_weeks=[4], by=carol)
    for junk in ([], [0], [9999], ["6"], [True], list(range(1, 12))):
        with pytest.raises(DomainError):
            followups.followup_plan_update(pilot=ended, offsets_weeks=junk, by=bob)
    followups.followup_plan_update(pilot=ended, offsets_weeks=[4, 26], by=bob)
    assert list(
        FollowUpWave.objects.filter(pilot=ended).values_list("offset_weeks", flat=True)
    ) == [4, 26]


def test_nothing_is_sent_before_the_due_day(ended):
    end = timezone.localdate(ended.ended_at)
    assert _send(end + dt.timedelta(weeks=6) - dt.timedelta(days=1)) == []
    assert mail.outbox == []


def test_the_scheduler_invites_sponsor_supervisors_and_members_once(ended, bob):
    due = timezone.localdate(ended.ended_at) + dt.timedelta(weeks=6)
    _send(due)
    invited = FollowUpInvitation.objects.filter(wave__offset_weeks=6)
    roles = sorted(invited.values_list("role", flat=True))
    assert roles.count("sponsor") == 1 and roles.count("supervisor") == 4
    assert roles.count("member") == 5  # erin and the four added
    assert len(mail.outbox) == 10
    assert _send(due) == [] and len(mail.outbox) == 10  # a second run sends nothing


def test_the_link_is_stored_hashed_works_once_and_the_answer_is_anonymous(client, ended):
    _send(timezone.localdate(ended.ended_at) + dt.timedelta(weeks=6))
    token = links()[0]
    assert not FollowUpInvitation.objects.filter(token_hash=token).exists()
    assert FollowUpInvitation.objects.filter(token_hash=followups.token_hash(token)).count() == 1
    url = reverse("evidence:answer", args=[token])
    opened = client.get(url)
    assert opened.status_code == 200 and opened["Referrer-Policy"] == "same-origin"
    assert client.get(url).status_code == 200  # opening spends nothing
    assert client.post(url, ANSWER).status_code == 200
    answer = FollowUpAnswer.objects.get()
    assert answer.person is None and answer.still_redefined == 8
    assert {f.name for f in FollowUpAnswer._meta.get_fields()} >= {"wave", "person"}
    assert not {"invitation", "created_at", "answered_at", "role"} & {
        f.name for f in FollowUpAnswer._meta.get_fields()
    }
    again = client.post(url, ANSWER)
    assert again.status_code == 410 and FollowUpAnswer.objects.count() == 1


def test_a_named_answer_keeps_the_person(client, ended):
    _send(timezone.localdate(ended.ended_at) + dt.timedelta(weeks=6))
    token = links()[0]
    client.post(reverse("evidence:answer", args=[token]), {**ANSWER, "anonymous": ""})
    invitation = FollowUpInvitation.objects.get(token_hash=followups.token_hash(token))
    assert FollowUpAnswer.objects.get().person == invitation.person


def test_an_expired_or_unknown_link_is_refused(client, ended):
    _send(timezone.localdate(ended.ended_at) + dt.timedelta(weeks=6))
    token = links()[0]
    FollowUpInvitation.objects.filter(token_hash=followups.token_hash(token)).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(reverse("evidence:answer", args=[token])).status_code == 410
    assert client.post(reverse("evidence:answer", args=[token]), ANSWER).status_code == 410
    for junk in ("nope", "x" * 500, "%00", "ü" * 20):
        assert client.get(f"/evidence/followups/answer/{junk}/").status_code == 404
    assert FollowUpAnswer.objects.count() == 0


def test_bad_answers_are_a_400_and_spend_nothing(client, ended):
    _send(timezone.localdate(ended.ended_at) + dt.timedelta(weeks=6))
    url = reverse("evidence:answer", args=[links()[0]])
    for bad in ({**ANSWER, "still_redefined": "11"}, {**ANSWER, "still_redefined": ""},
                {**ANSWER, "keep": "x" * 5000}):  # fmt: skip
        assert client.post(url, bad).status_code == 400
    assert FollowUpAnswer.objects.count() == 0
    unicode = {**ANSWER, "worked_best": "Zusammenarbeit 🤝 ständig — ça marche"}
    assert client.post(url, unicode).status_code == 200


def answer_all(client, count):
    for token in links()[:count]:
        client.post(reverse("evidence:answer", args=[token]), ANSWER)


def test_scores_and_themes_show_only_from_five_answers(client, ended, bob):
    _send(timezone.localdate(ended.ended_at) + dt.timedelta(weeks=6))
    answer_all(client, 4)
    client.force_login(bob)
    html = client.get(reverse("pilots:detail", args=[ended.pk])).content.decode()
    assert "fewer than 5 answers" in html and "data-reading" not in html
    client.logout()
    answer_all(client, 5)
    client.force_login(bob)
    html = client.get(reverse("pilots:detail", args=[ended.pk])).content.decode()
    assert "<strong>8.0</strong>" in html
    assert "data-reading" in html and "problem hunts" in html  # the theme, shared by all


def test_a_member_sees_the_score_but_not_the_answers(client, ended, erin):
    _send(timezone.localdate(ended.ended_at) + dt.timedelta(weeks=6))
    answer_all(client, 6)
    client.force_login(erin)
    html = client.get(reverse("pilots:detail", args=[ended.pk])).content.decode()
    assert "<strong>8.0</strong>" in html and "data-reading" not in html


def test_hr_sees_who_was_invited_and_the_rate_never_who_answered(client, ended, hilda, bob):
    _send(timezone.localdate(ended.ended_at) + dt.timedelta(weeks=6))
    answer_all(client, 3)
    client.force_login(hilda)
    response = client.get(reverse("evidence:invitations"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-invited=") == 10
    assert "30 %" in html and "problem hunts" not in html
    client.force_login(bob)
    assert client.get(reverse("evidence:invitations")).status_code == 403


def test_the_beat_entry_runs_the_task(ended, django_capture_on_commit_callbacks):
    from config.celery import app

    entry = app.conf.beat_schedule["evidence-send-due-followups"]
    assert entry["task"] == "evidence.tasks.send_due_followups"
    FollowUpWave.objects.filter(pilot=ended, offset_weeks=6).update(due_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_followups.apply().get() == 10
    assert len(mail.outbox) == 10
    assert all("\n" not in m.subject for m in mail.outbox)

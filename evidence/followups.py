"""Follow-up evaluations after a pilot ends: the plan (weeks after the end, editable per
pilot), the waves scheduled at the end, the invitations sent by the scheduler with a signed
one-time link, and the answers, kept apart from the person when anonymous.

The link's token is made when its e-mail is sent, inside the transaction that claims the
invitation, and only its keyed hash (HMAC-SHA256 with the site's secret key) is stored: the
database alone cannot make or check a link. It works once, until it expires. The answer is
written in the same transaction that spends the invitation, but nothing ties the two: an
anonymous answer has no person, no role, no invitation and no timestamp, and a random key.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.errors import DomainError, NotAllowed, StateConflict
from evidence.models import (
    DEFAULT_OFFSETS_WEEKS,
    FollowUpAnswer,
    FollowUpInvitation,
    FollowUpPlan,
    FollowUpRole,
    FollowUpWave,
)
from evidence.permissions import can_plan_followups
from evidence.selectors import offset_label
from people.models import Person
from people.permissions import refuse_inactive
from pilots.models import Pilot, Workgroup, WorkgroupMember

LINK_DAYS = 30  # how long a follow-up link works
MAX_WAVES = 8
MAX_OFFSET_WEEKS = 520  # ten years
TEXT_LIMIT = 2000  # characters per free-text answer
QUESTIONS = {
    "worked_best": "What worked best in the way you work now, and why?",
    "keep": "What would you keep, whatever else changes?",
    "hope_next": "What do you hope for next?",
    "in_the_way": "What still gets in the way?",
}


def token_hash(token: str) -> str:
    return salted_hmac("evidence.followup-link", token, algorithm="sha256").hexdigest()


def plan_offsets(pilot: Pilot) -> list[int]:
    plan = FollowUpPlan.objects.filter(pilot=pilot).first()
    return sorted(plan.offsets_weeks) if plan else list(DEFAULT_OFFSETS_WEEKS)


def _clean_offsets(offsets) -> list[int]:
    if not isinstance(offsets, list | tuple) or not offsets:
        raise DomainError(
            "Give at least one follow-up, in weeks after the end.",
            fields={"offsets_weeks": ["Give at least one number of weeks."]},
        )
    if len(offsets) > MAX_WAVES or any(
        isinstance(x, bool) or not isinstance(x, int) or not 1 <= x <= MAX_OFFSET_WEEKS
        for x in offsets
    ):
        raise DomainError(
            f"Up to {MAX_WAVES} follow-ups, each 1 to {MAX_OFFSET_WEEKS} weeks after the end.",
            fields={
                "offsets_weeks": [f"Whole weeks from 1 to {MAX_OFFSET_WEEKS}, at most {MAX_WAVES}."]
            },
        )
    return sorted(set(offsets))


@transaction.atomic
def followup_plan_update(*, pilot: Pilot, offsets_weeks, by) -> FollowUpPlan:
    """Change when the follow-ups go out. For a pilot that has ended, waves not sent yet
    move to the new plan; waves already sent stay as they were."""
    refuse_inactive(by)
    if not can_plan_followups(by, pilot):
        raise NotAllowed("Only the pilot's sponsor plans its follow-ups.")
    offsets = _clean_offsets(offsets_weeks)
    plan, _ = FollowUpPlan.objects.update_or_create(
        pilot=pilot, defaults={"offsets_weeks": offsets, "updated_by": by}
    )
    if pilot.ended_at is not None:
        FollowUpWave.objects.filter(pilot=pilot, sent_at__isnull=True).exclude(
            offset_weeks__in=offsets
        ).delete()
        _schedule(pilot, offsets)
    return plan


def _schedule(pilot: Pilot, offsets: list[int]) -> None:
    ended = timezone.localdate(pilot.ended_at)
    FollowUpWave.objects.bulk_create(
        [
            FollowUpWave(pilot=pilot, offset_weeks=w, due_on=ended + dt.timedelta(weeks=w))
            for w in offsets
        ],
        ignore_conflicts=True,  # one wave per offset: a second call adds nothing
    )


def followups_schedule_for_end(*, pilot: Pilot) -> None:
    """Called when a pilot that ran ends (scaled or stopped): its waves, from its plan."""
    if pilot.ended_at is not None:
        _schedule(pilot, plan_offsets(pilot))


def invitees(pilot: Pilot) -> dict[int, str]:
    """Person id → role for the sponsor, the supervisors and the members (each once, in
    that order of precedence), active and with an e-mail address."""
    roles = {pilot.sponsor_id: FollowUpRole.SPONSOR}
    for person_id in Workgroup.objects.filter(pilot=pilot).values_list("supervisor_id", flat=True):
        roles.setdefault(person_id, FollowUpRole.SUPERVISOR)
    members = WorkgroupMember.objects.filter(workgroup__pilot=pilot).values_list(
        "person_id", flat=True
    )
    for person_id in members:
        roles.setdefault(person_id, FollowUpRole.MEMBER)
    reachable = set(
        Person.objects.filter(pk__in=roles, active=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    return {pk: role for pk, role in roles.items() if pk in reachable}


@transaction.atomic
def waves_send_due(*, today: dt.date | None = None) -> list[int]:
    """Claim every wave due by `today`, invite its people, and return the invitations still
    waiting for their e-mail (also those a crashed run left behind)."""
    today = today or timezone.localdate()
    due = list(
        FollowUpWave.objects.select_for_update(skip_locked=True)
        .filter(due_on__lte=today, sent_at__isnull=True)
        .select_related("pilot")
    )
    for wave in due:
        FollowUpInvitation.objects.bulk_create(
            [
                FollowUpInvitation(wave=wave, person_id=pk, role=role)
                for pk, role in invitees(wave.pilot).items()
            ],
            ignore_conflicts=True,
        )
    FollowUpWave.objects.filter(pk__in=[w.pk for w in due]).update(sent_at=timezone.now())
    recent = timezone.now() - dt.timedelta(days=LINK_DAYS)
    waiting = FollowUpInvitation.objects.filter(
        emailed_at__isnull=True, wave__sent_at__gte=recent
    ).order_by("pk")
    return list(waiting.values_list("pk", flat=True))


def _one_line(text: str, limit: int = 150) -> str:
    return " ".join(text.split())[:limit]


def invitation_issue(invitation: FollowUpInvitation, now: dt.datetime) -> str:
    """A fresh token for the invitation (its hash stored, the token returned once)."""
    token = secrets.token_urlsafe(32)
    FollowUpInvitation.objects.filter(pk=invitation.pk).update(
        token_hash=token_hash(token), emailed_at=now, expires_at=now + dt.timedelta(days=LINK_DAYS)
    )
    return token


@transaction.atomic
def invitation_email(*, invitation_id: int) -> bool:
    """E-mail one invitation at most once: the row is claimed and its token made in this
    transaction; if sending fails, both roll back and a retry makes a new token."""
    invitation = (
        FollowUpInvitation.objects.select_for_update()
        .filter(pk=invitation_id, emailed_at__isnull=True)
        .select_related("person", "wave__pilot")
        .first()
    )
    if invitation is None or not invitation.person.email:
        return False
    token = invitation_issue(invitation, timezone.now())
    link = settings.REDEFINE_SITE_URL.rstrip("/") + reverse("evidence:answer", args=[token])
    pilot = invitation.wave.pilot
    send_mail(
        subject=_one_line(
            f"How is it going, {offset_label(invitation.wave.offset_weeks)} after {pilot.name}?"
        ),
        message=(
            f"Hello {invitation.person.full_name},\n\n"
            f"{pilot.name} ended {invitation.wave.offset_weeks} weeks ago. Five short questions "
            "about what has lasted take about three minutes; you may answer anonymously.\n\n"
            f"{link}\n\nThe link works once, for {LINK_DAYS} days. Answers are shown only in "
            "groups of five or more."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.person.email],
    )
    return True


class LinkRefused(DomainError):
    """The link is unknown, spent or expired (the page says which; HTTP 410 or 404)."""

    status = 410


def invitation_for(token: str, *, lock: bool = False) -> FollowUpInvitation:
    if not token or len(token) > 100:
        raise LinkRefused("This link is not valid.", code="unknown_link")
    rows = FollowUpInvitation.objects.select_related("wave__pilot", "person")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise LinkRefused("This link is not valid.", code="unknown_link")
    if invitation.used:
        raise LinkRefused("This follow-up has been answered already. Thank you!", code="used_link")
    if invitation.expires_at is None or invitation.expires_at <= timezone.now():
        raise LinkRefused("This link has expired.", code="expired_link")
    return invitation


@transaction.atomic
def followup_answer(
    *, token: str, still_redefined: int, anonymous: bool, **texts
) -> FollowUpAnswer:
    """Spend the link and store the answer; anonymous answers keep nothing of the person."""
    invitation = invitation_for(token, lock=True)
    if (
        isinstance(still_redefined, bool)
        or not isinstance(still_redefined, int)
        or not 0 <= still_redefined <= 10
    ):
        raise DomainError("Choose a number from 0 to 10.", fields={"still_redefined": ["0 to 10."]})
    cleaned = {key: (texts.get(key) or "").strip()[:TEXT_LIMIT] for key in QUESTIONS}
    claimed = FollowUpInvitation.objects.filter(pk=invitation.pk, used=False).update(used=True)
    if not claimed:
        raise StateConflict("This follow-up has been answered already.", code="used_link")
    return FollowUpAnswer.objects.create(
        wave=invitation.wave,
        person=None if anonymous else invitation.person,
        still_redefined=still_redefined,
        **cleaned,
    )

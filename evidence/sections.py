"""What the pilot page's evidence section and the review decision read: the comparison
proposal before the start, the effect and its event-study charts after it, and the
follow-ups after the end. The effect is computed once per page (kept on the pilot object)."""

from __future__ import annotations

from django.utils import timezone

from evidence import charts
from evidence.effects import latest_set, pilot_effect
from evidence.followups import QUESTIONS, plan_offsets
from evidence.models import ComparisonChoice, ComparisonSet, FollowUpAnswer
from evidence.permissions import can_choose_comparison, can_plan_followups, can_read_answers
from evidence.selectors import MIN_ANSWERS, comparison_proposal, offset_label, wave_scores
from evidence.themes import themes
from pilots.models import Pilot
from portfolio.models import OrganisationSettings


def effect_for_page(pilot: Pilot, settings=None):
    cached = getattr(pilot, "_evidence_effect", None)
    if cached is None:
        cached = pilot._evidence_effect = pilot_effect(pilot, settings=settings)
    return cached


def comparison_context(pilot: Pilot, user) -> dict:
    may_choose = can_choose_comparison(user, pilot)
    if pilot.started_at is None:
        choice = ComparisonChoice.objects.filter(pilot=pilot).first()
        proposal = comparison_proposal(pilot)
        chosen = {g.pk for g in choice.workgroups.all()} if choice else set()
        return {"proposal": proposal, "chosen_ids": chosen or proposal.proposed_ids,
                "has_choice": bool(chosen), "may_choose": may_choose}  # fmt: skip
    settings = OrganisationSettings.load()
    effect = effect_for_page(pilot, settings)
    versions = list(
        ComparisonSet.objects.filter(pilot=pilot)
        .select_related("chosen_by")
        .prefetch_related("members__workgroup__pilot")
        .order_by("-version")
    )
    context = {
        "effect": effect,
        "settings": settings,
        "versions": versions,
        "may_choose": may_choose,
        "event_charts": [
            (found, charts.event_study_chart(found, effect.weeks))
            for found in effect.metrics
            if any(w.gap is not None for w in found.event_weeks)
        ],
    }
    if len(versions) > 1:
        first = versions[-1]
        context["first_effect"] = pilot_effect(pilot, comparison=first, settings=settings)
    if may_choose:
        frozen = latest_set(pilot)
        metrics = list(frozen.outcome_metrics.order_by("key")) if frozen else None
        start = timezone.localdate(pilot.started_at)
        context["candidates"] = comparison_proposal(pilot, start=start, metrics=metrics).ranked
        context["current_ids"] = {m.workgroup_id for m in frozen.members.all()} if frozen else set()
    return context


def followups_context(pilot: Pilot, user) -> dict:
    scores = wave_scores([pilot.pk]).get(pilot.pk, [])
    offsets = plan_offsets(pilot)
    context = {
        "offsets": offsets,
        "offset_labels": [offset_label(w) for w in offsets],
        "scores": scores,
        "may_plan": can_plan_followups(user, pilot),
        "min_answers": MIN_ANSWERS,
    }
    if any(s.mean is not None for s in scores):
        context["score_chart"] = charts.still_redefined_chart(
            pilot, scores, OrganisationSettings.load()
        )
    if can_read_answers(user, pilot):
        context["readings"] = _readings(scores)
    return context


def _readings(scores) -> list[dict]:
    """Per wave with enough answers: the themes per question and the answers themselves,
    in alphabetical order (never in the order they came in)."""
    shown = [s for s in scores if s.answered >= MIN_ANSWERS]
    answers = FollowUpAnswer.objects.filter(wave_id__in=[s.wave_id for s in shown])
    by_wave: dict[int, list[FollowUpAnswer]] = {}
    for answer in answers.select_related("person").order_by("worked_best", "keep", "id"):
        by_wave.setdefault(answer.wave_id, []).append(answer)
    readings = []
    for score in shown:
        found = by_wave.get(score.wave_id, [])
        readings.append(
            {
                "score": score,
                "themes": [
                    (QUESTIONS[key], themes([getattr(a, key) for a in found])) for key in QUESTIONS
                ],
                "answers": found,
            }
        )
    return readings

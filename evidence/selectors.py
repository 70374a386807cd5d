"""Reads of the evidence app: the comparison proposal shown before the start, and what the
portfolio shows per pilot (effect snapshots, the 0–10 trend) in one query each."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, FloatField, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from evidence.matching import Profile, profiles, propose, rank_candidates
from evidence.models import EffectSnapshot, FollowUpAnswer, FollowUpInvitation, FollowUpWave
from evidence.panels import candidate_groups, load_panel, outcome_metrics, pre_period
from pilots.models import Pilot

MIN_ANSWERS = 5  # answers are shown only in groups of at least this many
MAX_CANDIDATES = 40  # listed beside the proposal; the rest are farther away


@dataclass
class Proposal:
    pre: tuple[dt.date, dt.date]
    metrics: list = field(default_factory=list)
    treated: list[Profile] = field(default_factory=list)
    ranked: list[Profile] = field(default_factory=list)
    proposed: list[Profile] = field(default_factory=list)

    @property
    def proposed_ids(self) -> set[int]:
        return {p.workgroup.pk for p in self.proposed}


def comparison_proposal(
    pilot: Pilot,
    *,
    start: dt.date | None = None,
    only: list[int] | None = None,
    metrics: list | None = None,
) -> Proposal:
    """Profiles of the pilot's groups and of every eligible candidate over the pre-period a
    start on `start` (default today) would freeze, ranked by distance, with the proposal.
    `only` limits candidates to those workgroup ids (a sponsor's choice); `metrics`
    replaces the outcome metrics found in the pre-period (those frozen with version 1)."""
    start = start or timezone.localdate()
    first, last = pre_period(pilot, start)
    if metrics is None:
        metrics = outcome_metrics(pilot, first, last)
    proposal = Proposal(pre=(first, last), metrics=metrics)
    if not proposal.metrics:
        return proposal
    own = list(pilot.workgroups.order_by("name", "id"))
    candidates = candidate_groups(pilot, first)
    if only is not None:
        candidates = [c for c in candidates if c.pk in set(only)]
    panel = load_panel(
        metrics=proposal.metrics, group_ids=[g.pk for g in own + candidates], first=first, last=last
    )
    keys = [m.key for m in proposal.metrics]
    proposal.treated = profiles(panel, proposal.metrics, own)
    proposal.ranked = rank_candidates(
        proposal.treated, profiles(panel, proposal.metrics, candidates), keys
    )
    proposal.proposed = propose(proposal.treated, proposal.ranked, keys)
    return proposal


def effect_snapshots(pilot_ids) -> dict[int, list[EffectSnapshot]]:
    """Each pilot's snapshots, value metrics first (one query)."""
    order = {"value": 0, "efficiency": 1, "performance": 2}
    found = defaultdict(list)
    rows = EffectSnapshot.objects.filter(pilot_id__in=pilot_ids).select_related("metric")
    for snapshot in rows.order_by("pilot_id", "metric__key"):
        found[snapshot.pilot_id].append(snapshot)
    for snapshots in found.values():
        snapshots.sort(
            key=lambda s: (order.get(s.metric.kind, 3), s.not_estimable != "", s.metric.key)
        )
    return dict(found)


@dataclass
class WaveScore:
    wave_id: int
    offset_weeks: int
    due_on: dt.date
    sent: bool
    invited: int
    answered: int
    mean: float | None  # None below MIN_ANSWERS

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.answered / self.invited) if self.invited else None

    @property
    def label(self) -> str:
        return offset_label(self.offset_weeks)


def offset_label(weeks: int) -> str:
    if weeks % 52 == 0:
        years = weeks // 52
        return f"+{years} year{'s' if years > 1 else ''}"
    if weeks in (13, 26, 39):
        return f"+{weeks * 12 // 52} months"
    return f"+{weeks} weeks"


def wave_scores(pilot_ids) -> dict[int, list[WaveScore]]:
    """Per pilot, each wave's invited and answered counts and the mean 0–10 (only for five
    answers or more), in one query whatever the number of pilots."""
    invited = (
        FollowUpInvitation.objects.filter(wave=OuterRef("pk"), emailed_at__isnull=False)
        .order_by()
        .values("wave")
        .annotate(n=Count("id"))
        .values("n")
    )
    answers = FollowUpAnswer.objects.filter(wave=OuterRef("pk")).order_by().values("wave")
    waves = (
        FollowUpWave.objects.filter(pilot_id__in=pilot_ids)
        .annotate(
            invited=Coalesce(Subquery(invited, output_field=IntegerField()), 0),
            answered=Coalesce(
                Subquery(answers.annotate(n=Count("id")).values("n"), output_field=IntegerField()),
                0,
            ),
            mean=Subquery(
                answers.annotate(m=Avg("still_redefined")).values("m"), output_field=FloatField()
            ),
        )
        .order_by("pilot_id", "offset_weeks")
    )
    found = defaultdict(list)
    for wave in waves:
        shown = wave.mean if wave.answered >= MIN_ANSWERS else None
        found[wave.pilot_id].append(
            WaveScore(
                wave.pk, wave.offset_weeks, wave.due_on, wave.sent_at is not None,
                wave.invited, wave.answered, float(shown) if shown is not None else None,
            )
        )  # fmt: skip
    return dict(found)


def add_evidence(rows) -> None:
    """Portfolio rows gain `effects` (snapshots, value metrics first) and `followups` (the
    0–10 per wave): two queries, however many rows."""
    ids = [row.pilot.pk for row in rows]
    effects, scores = effect_snapshots(ids), wave_scores(ids)
    for row in rows:
        row.effects = effects.get(row.pilot.pk, [])
        row.followups = [s for s in scores.get(row.pilot.pk, []) if s.mean is not None]

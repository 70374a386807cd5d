"""Writes of the comparison group: the sponsor's choice before the start, the freeze at the
start (with the baselines, in the same transaction), a re-selection with a reason after it,
and the effect snapshots the portfolio reads."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError, NotAllowed, StateConflict
from core.outbox import enqueue
from evidence.effects import pilot_effect
from evidence.matching import Profile
from evidence.models import (
    ComparisonChoice,
    ComparisonMember,
    ComparisonSet,
    ComparisonSource,
    EffectSnapshot,
)
from evidence.permissions import can_choose_comparison
from evidence.selectors import comparison_proposal
from people.permissions import refuse_inactive
from pilots import lifecycle
from pilots.models import Pilot, Workgroup

MAX_COMPARISON_GROUPS = 500


def _profile_json(profile: Profile) -> dict:
    return {key: list(value) if value else None for key, value in profile.features.items()}


def _check_groups(pilot: Pilot, workgroups: list[Workgroup], allowed: set[int]) -> None:
    if len(workgroups) > MAX_COMPARISON_GROUPS:
        raise DomainError(
            f"Choose at most {MAX_COMPARISON_GROUPS} comparison workgroups.",
            fields={"workgroups": ["Too many workgroups."]},
        )
    refused = [g.name for g in workgroups if g.pk not in allowed]
    if refused:
        raise DomainError(
            "These workgroups cannot be comparison groups (in this pilot, sharing people with "
            "it, in a pilot of their own, or without data before the start): "
            f"{', '.join(refused)}.",
            code="invalid_comparison",
            fields={"workgroups": ["Not eligible: " + ", ".join(refused)]},
        )


@transaction.atomic
def comparison_choose(*, pilot: Pilot, workgroups: list[Workgroup], by) -> ComparisonChoice:
    """The sponsor's choice before the start; the start freezes it. An empty choice means
    "freeze the proposal"."""
    refuse_inactive(by)
    if not can_choose_comparison(by, pilot):
        raise NotAllowed("Only the pilot's sponsor chooses its comparison group.")
    if pilot.status not in lifecycle.EDITABLE:
        raise StateConflict(
            "The comparison group was frozen at the start; re-select it with a reason.",
            code="comparison_frozen",
        )
    proposal = comparison_proposal(pilot)
    _check_groups(pilot, workgroups, {p.workgroup.pk for p in proposal.ranked})
    choice, _ = ComparisonChoice.objects.get_or_create(pilot=pilot, defaults={"chosen_by": by})
    choice.chosen_by = by
    choice.save(update_fields=["chosen_by", "chosen_at"])
    choice.workgroups.set(workgroups)
    return choice


def _freeze(*, pilot, proposal, members, frozen_at, by, source, reason="") -> ComparisonSet:
    """Write version n+1: the members with their profiles, the pilot's own profiles, the
    pre-period and the outcome metrics of `proposal`."""
    latest = ComparisonSet.objects.filter(pilot=pilot).order_by("-version").first()
    frozen = ComparisonSet.objects.create(
        pilot=pilot,
        version=(latest.version + 1) if latest else 1,
        source=source,
        reason=reason,
        pre_start=proposal.pre[0],
        pre_end=proposal.pre[1],
        treated_profile={str(p.workgroup.pk): _profile_json(p) for p in proposal.treated},
        frozen_at=frozen_at,
        chosen_by=by,
    )
    frozen.outcome_metrics.set(proposal.metrics)
    ComparisonMember.objects.bulk_create(
        ComparisonMember(
            comparison_set=frozen,
            workgroup=p.workgroup,
            profile=_profile_json(p),
            distance=p.distance if p.distance not in (None, float("inf")) else None,
        )
        for p in members
    )
    enqueue("evidence.tasks.refresh_pilot_effect", pilot_id=pilot.pk)
    return frozen


def comparison_freeze_for_start(*, pilot: Pilot, frozen_at, by) -> ComparisonSet:
    """Freeze the comparison set with the baselines, inside pilot_start's transaction: the
    sponsor's choice when there is one, otherwise the proposal. Idempotent."""
    existing = ComparisonSet.objects.filter(pilot=pilot).order_by("-version").first()
    if existing is not None:
        return existing
    choice = ComparisonChoice.objects.filter(pilot=pilot).prefetch_related("workgroups").first()
    chosen = [g.pk for g in choice.workgroups.all()] if choice else []
    proposal = comparison_proposal(pilot, start=timezone.localdate(frozen_at), only=chosen or None)
    return _freeze(
        pilot=pilot,
        proposal=proposal,
        members=proposal.ranked if chosen else proposal.proposed,
        frozen_at=frozen_at,
        by=choice.chosen_by if chosen else by,
        source=ComparisonSource.CHOICE if chosen else ComparisonSource.PROPOSAL,
    )


@transaction.atomic
def comparison_reselect(
    *, pilot: Pilot, workgroups: list[Workgroup], reason: str, by
) -> ComparisonSet:
    """A new version of a started pilot's comparison set, with a reason; every earlier
    version is kept, and the page shows the first version's estimate beside the new one.
    The pre-period and the outcome metrics stay those frozen at the start."""
    refuse_inactive(by)
    if not can_choose_comparison(by, pilot):
        raise NotAllowed("Only the pilot's sponsor re-selects its comparison group.")
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    if pilot.started_at is None:
        raise StateConflict(
            "Before the start, choose the comparison group; it freezes when the pilot starts.",
            code="not_started",
        )
    if not reason.strip():
        raise DomainError(
            "Say why the comparison group changes.",
            fields={"reason": ["This field is required."]},
        )
    if not workgroups:
        raise DomainError(
            "Choose at least one comparison workgroup.",
            fields={"workgroups": ["Choose at least one."]},
        )
    first = ComparisonSet.objects.filter(pilot=pilot, version=1).first()
    proposal = comparison_proposal(
        pilot,
        start=timezone.localdate(pilot.started_at),
        metrics=list(first.outcome_metrics.order_by("key")) if first else None,
    )
    _check_groups(pilot, workgroups, {p.workgroup.pk for p in proposal.ranked})
    wanted = {g.pk for g in workgroups}
    return _freeze(
        pilot=pilot,
        proposal=proposal,
        members=[p for p in proposal.ranked if p.workgroup.pk in wanted],
        frozen_at=timezone.now(),
        by=by,
        source=ComparisonSource.RESELECTION,
        reason=reason.strip(),
    )


@transaction.atomic
def effect_snapshot_refresh(*, pilot_id: int) -> int:
    """Recompute one pilot's effect and store it for the portfolio; returns the metrics."""
    pilot = Pilot.objects.filter(pk=pilot_id).first()
    if pilot is None:
        return 0
    effect = pilot_effect(pilot)
    now = timezone.now()
    EffectSnapshot.objects.filter(pilot=pilot).exclude(
        metric_id__in=[m.metric.pk for m in effect.metrics]
    ).delete()
    for found in effect.metrics:
        EffectSnapshot.objects.update_or_create(
            pilot=pilot,
            metric=found.metric,
            defaults={
                "comparison_version": effect.comparison.version,
                **found.figures(),
                "money_per_group_week": found.money_per_group_week,
                "not_estimable": found.not_estimable,
                "computed_at": now,
            },
        )
    return len(effect.metrics)

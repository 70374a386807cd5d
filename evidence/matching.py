"""Proposing comparison workgroups: nearest neighbours of the pilot's own groups on the
pre-period level (mean of the weekly values) and slope (least-squares trend per week) of
each outcome metric, each feature standardised across all groups so no unit dominates."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from evidence.panels import Panel

MIN_GROUPS = 3  # fewer than this on a side and the effect is not estimated


@dataclass
class Profile:
    """A group's pre-period level and slope per metric key (None where it has too little)."""

    workgroup: object
    features: dict[str, tuple[float, float] | None] = field(default_factory=dict)
    distance: float | None = None

    @property
    def complete(self) -> bool:
        return all(value is not None for value in self.features.values())


def level_and_slope(series: np.ndarray) -> tuple[float, float] | None:
    """Mean and least-squares slope per week over the weeks with data (two or more)."""
    weeks = np.flatnonzero(np.isfinite(series))
    if len(weeks) < 2:
        return None
    values = series[weeks]
    slope = float(np.polyfit(weeks.astype(float), values, 1)[0])
    return float(values.mean()), slope


def profiles(panel: Panel, metrics, groups) -> list[Profile]:
    found = []
    for group in groups:
        features = {
            metric.key: level_and_slope(panel.matrix(metric.pk, [group.pk])[0])
            for metric in metrics
        }
        found.append(Profile(group, features))
    return found


def _scales(everyone: list[Profile], keys: list[str]) -> dict[tuple[str, int], float]:
    scales = {}
    for key in keys:
        for part in (0, 1):
            values = [p.features[key][part] for p in everyone if p.features.get(key)]
            spread = float(np.std(values)) if len(values) > 1 else 0.0
            scales[(key, part)] = spread if spread > 0 else 1.0
    return scales


def _distance(a: Profile, b: Profile, scales, keys) -> float:
    """Root mean squared standardised difference over the features both groups have;
    infinite when they share none."""
    squares = [
        ((a.features[key][part] - b.features[key][part]) / scales[(key, part)]) ** 2
        for key in keys
        if a.features.get(key) and b.features.get(key)
        for part in (0, 1)
    ]
    return math.sqrt(sum(squares) / len(squares)) if squares else math.inf


def rank_candidates(treated: list[Profile], candidates: list[Profile], keys) -> list[Profile]:
    """Candidates with each one's distance to its nearest pilot group, nearest first; groups
    with no usable pre-period data at all are left out."""
    scales = _scales(treated + candidates, keys)
    usable = [c for c in candidates if any(c.features.values())]
    for candidate in usable:
        candidate.distance = min(
            (_distance(candidate, t, scales, keys) for t in treated), default=math.inf
        )
    return sorted(usable, key=lambda c: (not c.complete, c.distance, c.workgroup.pk))


def propose(treated: list[Profile], ranked: list[Profile], keys) -> list[Profile]:
    """Each pilot group's nearest unused candidate, round after round, until the proposal
    has as many groups as the pilot (and at least MIN_GROUPS) or candidates run out."""
    scales = _scales(treated + ranked, keys)
    wanted = min(max(MIN_GROUPS, len(treated)), len(ranked))
    chosen: list[Profile] = []
    while len(chosen) < wanted:
        for group in treated:
            left = [c for c in ranked if c not in chosen and c.complete] or [
                c for c in ranked if c not in chosen
            ]
            if not left or len(chosen) >= wanted:
                break
            chosen.append(min(left, key=lambda c: _distance(c, group, scales, keys)))
        if not treated:
            break
    return chosen

"""The difference-in-differences estimator, on plain numpy arrays (no database here).

Each workgroup is collapsed to one number, its post-period mean minus its pre-period mean:
weeks of one group are serially correlated, so treating group-weeks as independent makes the
interval far too narrow. The effect is the pilot groups' mean change minus the comparison
groups' mean change, with a Welch interval (unequal variances, Welch–Satterthwaite degrees
of freedom) and a randomisation p-value: how often relabelling which groups were the pilot's
gives a difference at least as large. Relabellings are enumerated exactly when there are at
most EXACT_LIMIT of them, otherwise DRAWS are drawn with a fixed seed, so a page, the API
and the portfolio give the same p-value for the same data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
EXACT_LIMIT = 10_000
DRAWS = 10_000
# Random draws are made in batches of about this many cells, to bound memory at any size.
BATCH_CELLS = 2_000_000


@dataclass(frozen=True)
class Estimate:
    estimate: float
    ci_low: float
    ci_high: float
    se: float
    df: float
    p_value: float
    p_value_method: str  # "exact" or "random"
    relabellings: int


def group_changes(pre: np.ndarray, post: np.ndarray) -> np.ndarray:
    """Per group (one row each, NaN where a week has no data): post mean − pre mean."""
    with np.errstate(all="ignore"):
        return np.nanmean(post, axis=1) - np.nanmean(pre, axis=1)


def welch(treated: np.ndarray, comparison: np.ndarray, confidence: float = CONFIDENCE):
    """(difference of means, low, high, standard error, degrees of freedom)."""
    nt, nc = len(treated), len(comparison)
    difference = float(treated.mean() - comparison.mean())
    vt, vc = treated.var(ddof=1) / nt, comparison.var(ddof=1) / nc
    se = math.sqrt(vt + vc)
    if se == 0:  # every group changed by exactly the same amount on each side
        return difference, difference, difference, 0.0, math.inf
    df = (vt + vc) ** 2 / (vt**2 / (nt - 1) + vc**2 / (nc - 1))
    half = float(stats.t.ppf((1 + confidence) / 2, df)) * se
    return difference, difference - half, difference + half, se, float(df)


def _absolute_differences(sums: np.ndarray, total: float, k: int, n: int) -> np.ndarray:
    return np.abs(sums / k - (total - sums) / (n - k))


def randomisation_p(treated: np.ndarray, comparison: np.ndarray, *, seed: int):
    """Two-sided p-value of the difference in means under random relabelling of the groups:
    (p, "exact" | "random", relabellings counted)."""
    pooled = np.concatenate([treated, comparison]).astype(float)
    n, k = len(pooled), len(treated)
    total = float(pooled.sum())
    observed = abs(float(treated.mean() - comparison.mean()))
    # Sums in a different order round differently: a tie must count as a tie.
    threshold = observed - 1e-9 * max(1.0, observed, float(np.abs(pooled).max()))
    if math.comb(n, k) <= EXACT_LIMIT:
        labels = np.array(list(combinations(range(n), k)))
        extreme = _absolute_differences(pooled[labels].sum(axis=1), total, k, n) >= threshold
        return float(extreme.mean()), "exact", len(labels)
    rng = np.random.default_rng(seed)
    batch = max(1, BATCH_CELLS // n)
    extreme, drawn = 0, 0
    while drawn < DRAWS:
        rows = min(batch, DRAWS - drawn)
        shuffled = np.tile(pooled, (rows, 1))
        rng.permuted(shuffled, axis=1, out=shuffled)  # each row a random relabelling
        differences = _absolute_differences(shuffled[:, :k].sum(axis=1), total, k, n)
        extreme += int(np.count_nonzero(differences >= threshold))
        drawn += rows
    # The observed labelling is one of the possible ones: (1 + extreme) / (1 + draws).
    return (1 + extreme) / (1 + DRAWS), "random", DRAWS


def estimate(treated: np.ndarray, comparison: np.ndarray, *, seed: int = 0) -> Estimate:
    """The effect from each group's change; needs at least two groups a side (the callers
    refuse below three, see evidence.effects)."""
    difference, low, high, se, df = welch(treated, comparison)
    p, method, count = randomisation_p(treated, comparison, seed=seed)
    return Estimate(difference, low, high, se, df, p, method, count)


@dataclass(frozen=True)
class EventWeek:
    """The gap between pilot and comparison in one week, relative to the last pre week."""

    index: int  # weeks from the start: −1 is the last pre-period week (the reference)
    gap: float | None
    low: float | None
    high: float | None
    treated_groups: int
    comparison_groups: int


def event_study(treated: np.ndarray, comparison: np.ndarray, *, reference: int, first: int):
    """Per week column: mean change since the reference week of the pilot groups minus that
    of the comparison groups, with a Welch interval where each side has two groups or more.
    `first` is the week index (relative to the start) of column 0."""
    weeks = []
    with np.errstate(all="ignore"):
        dt = treated - treated[:, [reference]]
        dc = comparison - comparison[:, [reference]]
    for column in range(treated.shape[1]):
        t, c = dt[:, column], dc[:, column]
        t, c = t[np.isfinite(t)], c[np.isfinite(c)]
        gap = low = high = None
        if len(t) and len(c):
            gap = float(t.mean() - c.mean())
        if len(t) >= 2 and len(c) >= 2:
            gap, low, high, _, _ = welch(t, c)
        weeks.append(EventWeek(first + column, gap, low, high, len(t), len(c)))
    return weeks

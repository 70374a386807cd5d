"""A pilot's effect per outcome metric against its frozen comparison set: the panel is read
once, each metric estimated by `evidence.estimator`, and the honesty rules applied here
(at least MIN_GROUPS groups a side with data before and after, at least MIN_PRE_WEEKS weeks
of pre-period data). Money where the metric converts: a summed metric in hours (at the
organisation's loaded hourly rate) or in its currency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from evidence import estimator
from evidence.matching import MIN_GROUPS
from evidence.models import ComparisonSet
from evidence.panels import cutoffs_for, load_panel, post_period
from metrics.models import Aggregation, MetricDefinition
from pilots.models import Pilot, Workgroup
from portfolio.models import HOURS_UNITS, OrganisationSettings

MIN_PRE_WEEKS = 8
METHOD = "did_collapsed"
INTERVAL = "welch_95"
P_VALUE_METHODS = {"exact": "exact_relabelling", "random": "random_relabelling_10000"}
REASONS = {
    "no_comparison_set": "No comparison group was frozen for this pilot.",
    "not_started": "The pilot has not started: there is no after yet.",
    "no_outcome_metrics": "No metric had weekly workgroup data before the start.",
    "no_post_weeks": "No whole week has passed since the start.",
    "too_few_treated_groups": "Fewer than 3 of the pilot's workgroups have data both before "
    "and after the start.",
    "too_few_comparison_groups": "Fewer than 3 comparison workgroups have data both before "
    "and after the start.",
    "too_few_pre_weeks": "Fewer than 8 weeks of data before the start: too little to know "
    "where the groups were heading.",
}


@dataclass
class MetricEffect:
    metric: MetricDefinition
    treated_groups: int
    comparison_groups: int
    pre_weeks: int
    post_weeks: int
    result: estimator.Estimate | None = None
    not_estimable: str = ""
    money_per_group_week: Decimal | None = None
    money_total: tuple[Decimal, Decimal, Decimal] | None = None  # estimate, low, high
    event_weeks: list[estimator.EventWeek] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return REASONS.get(self.not_estimable, "")

    @property
    def better(self) -> bool | None:
        """Whether the interval lies on the good side of zero (None: it spans zero)."""
        if self.result is None or self.result.ci_low <= 0 <= self.result.ci_high:
            return None
        higher = self.metric.direction == "higher_is_better"
        return (self.result.estimate > 0) == higher

    def figures(self) -> dict:
        """The estimate with its interval and the counts behind it, as the API answers them
        and the portfolio's snapshot stores them (None where nothing could be estimated)."""
        result = self.result
        return {
            "estimate": result.estimate if result else None,
            "ci_low": result.ci_low if result else None,
            "ci_high": result.ci_high if result else None,
            "p_value": result.p_value if result else None,
            "treated_groups": self.treated_groups,
            "comparison_groups": self.comparison_groups,
            "pre_weeks": self.pre_weeks,
            "post_weeks": self.post_weeks,
        }


@dataclass
class PilotEffect:
    pilot: Pilot
    comparison: ComparisonSet | None
    metrics: list[MetricEffect] = field(default_factory=list)
    not_estimable: str = ""
    weeks: list[dt.date] = field(default_factory=list)
    pre_columns: int = 0
    currency: str = ""

    @property
    def reason(self) -> str:
        return REASONS.get(self.not_estimable, "")


def latest_set(pilot: Pilot) -> ComparisonSet | None:
    return (
        ComparisonSet.objects.filter(pilot=pilot)
        .prefetch_related("outcome_metrics", "members__workgroup__pilot")
        .order_by("-version")
        .first()
    )


def pilot_effect(
    pilot: Pilot,
    *,
    comparison: ComparisonSet | None = None,
    settings: OrganisationSettings | None = None,
    today: dt.date | None = None,
) -> PilotEffect:
    """The effect on every outcome metric of the set in force (or of `comparison`)."""
    comparison = comparison or latest_set(pilot)
    settings = settings or OrganisationSettings.load()
    effect = PilotEffect(pilot=pilot, comparison=comparison, currency=settings.currency)
    post = post_period(pilot, today)
    if comparison is None:
        effect.not_estimable = "no_comparison_set"
        return effect
    if post is None:
        effect.not_estimable = "not_started"
        return effect
    metrics = list(comparison.outcome_metrics.all())
    if not metrics:
        effect.not_estimable = "no_outcome_metrics"
        return effect
    _estimate_all(effect, comparison, metrics, post, settings)
    return effect


def _estimate_all(effect, comparison, metrics, post, settings) -> None:
    treated_ids = list(Workgroup.objects.filter(pilot=effect.pilot).values_list("pk", flat=True))
    members = [m.workgroup for m in comparison.members.all()]
    comparison_ids = [g.pk for g in members]
    panel = load_panel(
        metrics=metrics,
        group_ids=treated_ids + comparison_ids,
        first=comparison.pre_start,
        last=post[1],
        cutoffs=cutoffs_for(members, comparison.pre_start),
    )
    pre_columns = len([w for w in panel.weeks if w <= comparison.pre_end])
    effect.weeks, effect.pre_columns = panel.weeks, pre_columns
    post_from = len([w for w in panel.weeks if w < post[0]])
    for metric in metrics:
        treated = panel.matrix(metric.pk, treated_ids)
        control = panel.matrix(metric.pk, comparison_ids)
        effect.metrics.append(
            _metric_effect(metric, treated, control, pre_columns, post_from, effect.pilot, settings)
        )


def _has(block: np.ndarray) -> np.ndarray:
    return np.isfinite(block).any(axis=1)


def _metric_effect(metric, treated, control, pre_columns, post_from, pilot, settings):
    pre_t, post_t = treated[:, :pre_columns], treated[:, post_from:]
    pre_c, post_c = control[:, :pre_columns], control[:, post_from:]
    keep_t = _has(pre_t) & _has(post_t)
    keep_c = _has(pre_c) & _has(post_c)
    both_pre = np.isfinite(pre_t[keep_t]).any(axis=0) & np.isfinite(pre_c[keep_c]).any(axis=0)
    both_post = np.isfinite(post_t[keep_t]).any(axis=0) & np.isfinite(post_c[keep_c]).any(axis=0)
    found = MetricEffect(
        metric=metric,
        treated_groups=int(keep_t.sum()),
        comparison_groups=int(keep_c.sum()),
        pre_weeks=int(both_pre.sum()),
        post_weeks=int(both_post.sum()),
    )
    found.not_estimable = _refusal(found, post_t.shape[1])
    if pre_columns:
        found.event_weeks = estimator.event_study(
            treated[keep_t],
            control[keep_c],
            reference=pre_columns - 1,
            first=-pre_columns,
        )
    if found.not_estimable:
        return found
    changes_t = estimator.group_changes(pre_t[keep_t], post_t[keep_t])
    changes_c = estimator.group_changes(pre_c[keep_c], post_c[keep_c])
    found.result = estimator.estimate(changes_t, changes_c, seed=pilot.pk * 1009 + metric.pk)
    _add_money(found, settings)
    return found


def _refusal(found: MetricEffect, post_columns: int) -> str:
    if post_columns == 0 or found.post_weeks == 0:
        return "no_post_weeks"
    if found.treated_groups < MIN_GROUPS:
        return "too_few_treated_groups"
    if found.comparison_groups < MIN_GROUPS:
        return "too_few_comparison_groups"
    if found.pre_weeks < MIN_PRE_WEEKS:
        return "too_few_pre_weeks"
    return ""


def money_rate(metric: MetricDefinition, settings: OrganisationSettings) -> Decimal | None:
    """Money per unit of the metric, when it converts: summed hours or summed currency."""
    if metric.aggregation != Aggregation.SUM:
        return None
    if metric.unit.strip().lower() in HOURS_UNITS:
        return settings.hourly_rate
    if metric.unit.strip().upper() in (settings.currency, "MONEY"):
        return Decimal("1")
    return None


def _add_money(found: MetricEffect, settings) -> None:
    rate = money_rate(found.metric, settings)
    if rate is None:
        return
    cents = Decimal("0.01")
    found.money_per_group_week = (Decimal(repr(found.result.estimate)) * rate).quantize(cents)
    scale = rate * found.treated_groups * found.post_weeks
    found.money_total = tuple(
        (Decimal(repr(x)) * scale).quantize(Decimal("1"))
        for x in (found.result.estimate, found.result.ci_low, found.result.ci_high)
    )

"""How self-contained a workgroup is, as a score from 0 (pulled apart) to 100 (self-contained).

Research on pilots says a group that depends heavily on others, or whose time is eaten by
competing initiatives, cannot show what redefined work does. The score:

    tie load      L = Σ frequency × strength over the group's ties
                      (frequency 1 rarely … 4 daily; strength 1 weak … 3 strong; so 1–12 each)
    tie pressure  P = L / (L + 2 × n)        n = group size (supervisor + members)
    time taken    T = min(100, Σ time share % of competing initiatives) / 100
    score         S = round(100 × (1 − P) × (1 − T))

P grows with heavier ties and shrinks with group size (a larger group absorbs the same ties
more easily); it never reaches 1, so every tie counts but none alone zeroes the score. For a
group of five, one daily strong tie (L = 12) gives P ≈ 0.55 and S = 45. Competing initiatives
scale the score down by the share of time they leave to the pilot.

Warnings, shown before approval and on the pilot page: S below LOW_SCORE, or competing
initiatives taking more than INITIATIVE_SHARE_LIMIT % of the group's time. A pilot's score is
its weakest workgroup's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LOW_SCORE = 50
INITIATIVE_SHARE_LIMIT = 30
ABSORPTION_PER_PERSON = 2  # tie load a person absorbs before the group feels half pulled out


@dataclass(frozen=True)
class Assessment:
    score: int
    tie_load: int
    initiative_share: int
    warnings: list[str] = field(default_factory=list)

    @property
    def is_low(self) -> bool:
        return bool(self.warnings)


def assess(*, group_size: int, ties: list[tuple[int, int]], shares: list[int]) -> Assessment:
    """The score and warnings from (frequency, strength) pairs and initiatives' time shares."""
    return assess_sums(
        group_size=group_size,
        tie_load=sum(frequency * strength for frequency, strength in ties),
        initiative_share=sum(shares),
    )


def assess_sums(*, group_size: int, tie_load: int, initiative_share: int) -> Assessment:
    """The score from the sums alone, which SQL can compute for thousands of groups at once
    (see `WorkgroupQuerySet.with_self_containment_sums`)."""
    size = max(group_size, 1)
    pressure = tie_load / (tie_load + ABSORPTION_PER_PERSON * size)
    share = min(100, initiative_share)
    score = round(100 * (1 - pressure) * (1 - share / 100))
    return Assessment(score, tie_load, share, _warnings(score, share))


def _warnings(score: int, share: int) -> list[str]:
    warnings = []
    if score < LOW_SCORE:
        warnings.append(
            f"Low self-containment ({score}/100): ties to other groups or competing work "
            "will make it hard to see what the pilot itself achieves."
        )
    if share > INITIATIVE_SHARE_LIMIT:
        warnings.append(
            f"Competing initiatives take {share} % of the group's time "
            f"(more than {INITIATIVE_SHARE_LIMIT} %)."
        )
    return warnings


def assess_workgroup(workgroup) -> Assessment:
    """From the workgroup's prefetched memberships, ties and competing initiatives (no query
    when the caller prefetched them, as `Pilot.objects.for_page()` does)."""
    return assess(
        group_size=1 + len(workgroup.memberships.all()),
        ties=[(tie.frequency, tie.strength) for tie in workgroup.ties.all()],
        shares=[i.time_share_percent for i in workgroup.competing_initiatives.all()],
    )


def assess_annotated(workgroup) -> Assessment:
    """From a workgroup annotated by `with_self_containment_sums()` (no query)."""
    return assess_sums(
        group_size=1 + workgroup.member_total,
        tie_load=workgroup.tie_load,
        initiative_share=workgroup.initiative_share,
    )


def assess_pilot(assessments: list[Assessment]) -> Assessment | None:
    """The pilot's standing is its weakest group's."""
    return min(assessments, key=lambda a: a.score, default=None)

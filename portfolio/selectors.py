"""Reads behind the portfolio: pilot totals and month series from the rollups, and the
dashboard rows (status, progress, cadence, baselines, confidence, risk flags) in a fixed
number of queries whatever the number of pilots."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from coaching.models import Cycle
from coaching.selectors import with_cadence
from metrics.models import Baseline
from pilots.models import Pilot, PilotStatus, Workgroup, WorkgroupMember

# Self-containment is scored by the pilots app, so the dashboard warns exactly as the pilot
# page and the approval step do.
from pilots.selfcontainment import (
    INITIATIVE_SHARE_LIMIT,
    LOW_SCORE,
    Assessment,
    assess_annotated,
)
from portfolio.models import OrganisationSettings, PilotMonthRollup, RollupState
from portfolio.rollups import OUTCOME_COLUMNS, Totals, totals_from_row

# "Near a premature stop": a running pilot before its patience horizon, at least this many
# weeks in (enough to expect something), whose value created in the current and previous
# month is under FLAT_SHARE of its value to date (or nothing at all) — the flat line that
# makes sponsors stop during the normal lag.
NEAR_STOP_MIN_WEEKS = 8
FLAT_SHARE = Decimal("0.10")
STARTED = [PilotStatus.RUNNING, PilotStatus.REVIEWING, PilotStatus.SCALED, PilotStatus.STOPPED]
# Confidence as a leading indicator: the mean of the supervisors' 0–10 confidence over a
# pilot's latest CONFIDENCE_CYCLES cycles (all its workgroups, in the order they were
# reflected on), and its trend against the mean of the cycles before those. A change of at
# least CONFIDENCE_STEP reads as rising or falling.
CONFIDENCE_CYCLES = 4
CONFIDENCE_STEP = 0.5


def pilot_totals(pilot_ids=None, *, settings=None) -> dict[int, Totals]:
    """Each pilot's totals to date, summed from its month rollups (one query)."""
    settings = settings or OrganisationSettings.load()
    rows = PilotMonthRollup.objects.all()
    if pilot_ids is not None:
        rows = rows.filter(pilot_id__in=pilot_ids)
    sums = rows.values("pilot_id").annotate(**{c: Sum(c) for c in OUTCOME_COLUMNS})
    return {
        row["pilot_id"]: totals_from_row([row[c] for c in OUTCOME_COLUMNS], settings)
        for row in sums.order_by("pilot_id")
    }


class MonthOutcome(NamedTuple):
    """One pilot-month of the rollups in money (hours converted at the loaded rate)."""

    month: date
    value: Decimal
    efficiency: Decimal


def month_outcomes(pilot_ids, *, settings) -> dict[int, list[MonthOutcome]]:
    """Each pilot's months, oldest first (one query; plain tuples, since the dashboard reads
    some 12,000 of them for 500 pilots)."""
    rows = (
        PilotMonthRollup.objects.filter(pilot_id__in=pilot_ids)
        .order_by("pilot_id", "month")
        .values_list(
            "pilot_id",
            "month",
            "value_money",
            "value_hours",
            "efficiency_money",
            "efficiency_hours",
        )
    )
    by_pilot: dict[int, list[MonthOutcome]] = {}
    for pilot_id, month, value_money, value_hours, efficiency_money, efficiency_hours in rows:
        by_pilot.setdefault(pilot_id, []).append(
            MonthOutcome(
                month,
                settings.money(amount=value_money, hours=value_hours),
                settings.money(amount=efficiency_money, hours=efficiency_hours),
            )
        )
    return by_pilot


def freshness() -> RollupState | None:
    return RollupState.objects.filter(pk=1).first()


def settings_and_refreshed_at() -> tuple[OrganisationSettings, datetime | None]:
    """The organisation's settings and when the rollups were computed, in one query: every
    portfolio API answer carries both, and the API's per-query cost is most of its time."""
    refreshed = RollupState.objects.filter(pk=1).values("refreshed_at")
    settings = (
        OrganisationSettings.objects.annotate(rollups_refreshed_at=Subquery(refreshed))
        .filter(pk=1)
        .first()
    )
    if settings is None:  # a new organisation: the defaults, and nothing computed yet
        return OrganisationSettings.load(), None
    return settings, settings.rollups_refreshed_at


def freshness_label(state: RollupState | None, now=None) -> str:
    """How old the rollups are, in words a leader reads at a glance ("updated 40 s ago")."""
    if state is None or state.refreshed_at is None:
        return "not computed yet"
    seconds = max(int(((now or timezone.now()) - state.refreshed_at).total_seconds()), 0)
    if seconds < 90:
        return f"updated {seconds} s ago"
    if seconds < 90 * 60:
        return f"updated {round(seconds / 60)} min ago"
    if seconds < 36 * 3600:
        return f"updated {round(seconds / 3600)} h ago"
    return f"updated {round(seconds / 86400)} days ago"


def weeks_run(pilot: Pilot, now=None) -> int | None:
    if pilot.started_at is None:
        return None
    end = pilot.ended_at or now or timezone.now()
    return max((end - pilot.started_at).days // 7, 0)


def horizon_date(pilot: Pilot) -> date | None:
    if pilot.started_at is None:
        return None
    return timezone.localdate(pilot.started_at) + timedelta(weeks=pilot.patience_horizon_weeks)


def dashboard_pilots(queryset: QuerySet[Pilot]) -> QuerySet[Pilot]:
    """The pilots with their sponsor, org unit and people count (one query)."""
    members = (
        WorkgroupMember.objects.filter(workgroup__pilot=OuterRef("pk"))
        .values("workgroup__pilot")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    supervisors = (
        Workgroup.objects.filter(pilot=OuterRef("pk"))
        .values("pilot")
        .annotate(n=Count("supervisor", distinct=True))
        .values("n")
    )
    return (
        queryset.select_related("sponsor", "org_unit")
        .annotate(
            member_count=Coalesce(Subquery(members, output_field=IntegerField()), Value(0)),
            supervisor_count=Coalesce(Subquery(supervisors, output_field=IntegerField()), 0),
        )
        .order_by("name", "id")
    )


def dashboard_workgroups(pilot_ids, *, today=None) -> QuerySet[Workgroup]:
    """Workgroups of the pilots with their cadence, whether their supervisor has a usable
    frozen baseline, and the sums the self-containment score reads (one query)."""
    baselines = Baseline.objects.filter(pilot=OuterRef("pilot"), person=OuterRef("supervisor"))
    return with_cadence(
        Workgroup.objects.filter(pilot_id__in=pilot_ids).with_self_containment_sums(),
        today=today,
    ).annotate(has_baseline=Exists(baselines.filter(value__isnull=False)))


@dataclass
class DashboardRow:
    pilot: Pilot
    people: int
    weeks_run: int | None
    horizon_weeks: int
    totals: Totals | None
    workgroups: int = 0
    overdue: int = 0
    baselines_missing: int = 0
    self_containment: int | None = None  # the weakest workgroup's score, 0–100
    structural_flags: set[str] = field(default_factory=set)
    near_stop: bool = False
    months: list[MonthOutcome] = field(default_factory=list)
    confidence: "Confidence | None" = None  # filled by `add_confidence`

    @property
    def flags(self) -> list[str]:
        """In FLAG_LABELS order; the workgroup ones are known once `add_workgroup_health`
        has read this row's groups."""
        raised = set(self.structural_flags)
        raised.update(
            flag
            for flag, up in (
                ("overdue_cycles", self.overdue),
                ("missing_baselines", self.baselines_missing),
                ("near_premature_stop", self.near_stop),
                ("premature_stop", self.pilot.premature_stop),
            )
            if up
        )
        return [flag for flag in FLAG_LABELS if flag in raised]

    @property
    def value(self) -> Decimal:
        return self.totals.value if self.totals else Decimal("0.00")

    @property
    def efficiency(self) -> Decimal:
        return self.totals.efficiency if self.totals else Decimal("0.00")

    @property
    def progress_percent(self) -> int:
        if self.weeks_run is None:
            return 0
        return min(100, round(100 * self.weeks_run / self.horizon_weeks))

    @property
    def cadence_label(self) -> str:
        if not self.workgroups or self.pilot.status != PilotStatus.RUNNING:
            return "—"
        if not self.overdue:
            return "On cadence"
        return f"{self.overdue} of {self.workgroups} overdue"

    @property
    def baseline_label(self) -> str:
        if self.pilot.status not in STARTED:
            return "Not started"
        if self.baselines_missing:
            overridden = " (overridden)" if self.pilot.baseline_override_reason else ""
            return f"{self.baselines_missing} missing{overridden}"
        return "Frozen"


FLAG_LABELS = {
    "low_self_containment": "Low self-containment",
    "competing_initiatives": "Heavy competing initiatives",
    "overdue_cycles": "Overdue cycles",
    "missing_baselines": "Missing baselines",
    "near_premature_stop": "Near a premature stop",
    "premature_stop": "Stopped before the horizon",
}


def value_is_flat(row: "DashboardRow", today: date) -> bool:
    """Value created this month and last is under FLAT_SHARE of the value to date."""
    if row.totals is None or row.totals.value <= 0:
        return True
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    recent = sum((m.value for m in row.months if m.month >= last_month), Decimal("0"))
    return recent < row.totals.value * FLAT_SHARE


def is_near_stop(row: DashboardRow, today: date) -> bool:
    return (
        row.pilot.status == PilotStatus.RUNNING
        and row.weeks_run is not None
        and NEAR_STOP_MIN_WEEKS <= row.weeks_run < row.horizon_weeks
        and value_is_flat(row, today)
    )


def _score_self_containment(row: DashboardRow, assessment: Assessment) -> None:
    """Keep the weakest group's score; flag by the pilots app's own thresholds."""
    if row.self_containment is None or assessment.score < row.self_containment:
        row.self_containment = assessment.score
    if assessment.score < LOW_SCORE:
        row.structural_flags.add("low_self_containment")
    if assessment.initiative_share > INITIATIVE_SHARE_LIMIT:
        row.structural_flags.add("competing_initiatives")


def dashboard_rows(
    queryset: QuerySet[Pilot], *, settings=None, today: date | None = None
) -> list[DashboardRow]:
    """One row per pilot with what the rollups tell (totals, months, near a premature stop):
    four queries whatever the number of pilots (pilots, settings, totals, month rollups).
    Cadence, baselines and self-containment come from `add_workgroup_health`, which the
    dashboard runs on the page it shows only."""
    today = today or timezone.localdate()
    pilots = list(dashboard_pilots(queryset))
    ids = [p.pk for p in pilots]
    settings = settings or OrganisationSettings.load()
    totals = pilot_totals(ids, settings=settings)
    months = month_outcomes(ids, settings=settings)
    rows = []
    for pilot in pilots:
        row = DashboardRow(
            pilot=pilot,
            people=pilot.member_count + pilot.supervisor_count,
            weeks_run=weeks_run(pilot),
            horizon_weeks=pilot.patience_horizon_weeks,
            totals=totals.get(pilot.pk),
            months=months.get(pilot.pk, []),
        )
        row.near_stop = is_near_stop(row, today)
        rows.append(row)
    return rows


def add_workgroup_health(rows: list[DashboardRow], *, today: date | None = None) -> None:
    """Fill the rows' cadence, baseline and self-containment figures from their workgroups
    (one query, however many rows)."""
    by_pilot = {row.pilot.pk: row for row in rows}
    for workgroup in dashboard_workgroups(list(by_pilot), today=today):
        row = by_pilot[workgroup.pilot_id]
        row.workgroups += 1
        row.overdue += int(workgroup.is_overdue)
        if row.pilot.status in STARTED and not workgroup.has_baseline:
            row.baselines_missing += 1
        _score_self_containment(row, assess_annotated(workgroup))


@dataclass
class Summary:
    value: Decimal
    efficiency: Decimal
    near_stop: int
    premature: int


def summarise(rows: list[DashboardRow]) -> Summary:
    return Summary(
        value=sum((r.value for r in rows), Decimal("0")),
        efficiency=sum((r.efficiency for r in rows), Decimal("0")),
        near_stop=sum(r.near_stop for r in rows),
        premature=sum(r.pilot.premature_stop for r in rows),
    )


@dataclass(frozen=True)
class Confidence:
    latest: float  # mean over the latest cycles, one decimal
    before: float | None  # mean over the cycles before them, if any
    cycles: int  # how many cycles `latest` reads

    @property
    def trend(self) -> float | None:
        return None if self.before is None else round(self.latest - self.before, 1)

    @property
    def trend_label(self) -> str:
        if self.trend is None:
            return "first cycles"
        if self.trend >= CONFIDENCE_STEP:
            return "rising"
        if self.trend <= -CONFIDENCE_STEP:
            return "falling"
        return "steady"


def _mean(values: list[int]) -> float:
    return round(sum(values) / len(values), 1)


def pilot_confidence(pilot_ids) -> dict[int, Confidence]:
    """Each pilot's confidence over its latest cycles and the cycles before (one query);
    pilots whose supervisors gave no confidence yet are left out."""
    scores: dict[int, list[int]] = defaultdict(list)
    cycles = (
        Cycle.objects.filter(workgroup__pilot_id__in=list(pilot_ids), confidence__isnull=False)
        .order_by("workgroup__pilot_id", "reflection_done_at", "started_at", "pk")
        .values_list("workgroup__pilot_id", "confidence")
    )
    for pilot_id, confidence in cycles:
        scores[pilot_id].append(confidence)
    found = {}
    for pilot_id, values in scores.items():
        latest, earlier = values[-CONFIDENCE_CYCLES:], values[:-CONFIDENCE_CYCLES]
        before = _mean(earlier[-CONFIDENCE_CYCLES:]) if earlier else None
        found[pilot_id] = Confidence(latest=_mean(latest), before=before, cycles=len(latest))
    return found


def add_confidence(rows: list[DashboardRow]) -> None:
    """Fill every row's confidence (one query, however many rows)."""
    found = pilot_confidence(row.pilot.pk for row in rows)
    for row in rows:
        row.confidence = found.get(row.pilot.pk)

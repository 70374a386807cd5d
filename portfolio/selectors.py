"""Reads behind the portfolio: pilot totals and month series from the rollups, and the
dashboard rows (status, progress, cadence, baselines, risk flags) in a fixed number of
queries whatever the number of pilots."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

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

from coaching.selectors import with_cadence
from metrics.models import Baseline
from pilots.models import Pilot, PilotStatus, Workgroup, WorkgroupMember

# Self-containment is scored by the pilots app, so the dashboard warns exactly as the pilot
# page and the approval step do.
from pilots.selfcontainment import (
    INITIATIVE_SHARE_LIMIT,
    LOW_SCORE,
    Assessment,
    assess_workgroup,
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


def month_rollups(pilot_ids) -> dict[int, list[PilotMonthRollup]]:
    """Month rollups of the given pilots, oldest first (one query)."""
    by_pilot: dict[int, list[PilotMonthRollup]] = {}
    for row in PilotMonthRollup.objects.filter(pilot_id__in=pilot_ids).order_by("month"):
        by_pilot.setdefault(row.pilot_id, []).append(row)
    return by_pilot


def freshness() -> RollupState | None:
    return RollupState.objects.filter(pk=1).first()


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
    """Workgroups of the pilots with cadence and whether their supervisor has a usable frozen
    baseline (one query), plus what the self-containment score reads (three prefetches)."""
    baselines = Baseline.objects.filter(pilot=OuterRef("pilot"), person=OuterRef("supervisor"))
    return (
        with_cadence(Workgroup.objects.filter(pilot_id__in=pilot_ids), today=today)
        .annotate(has_baseline=Exists(baselines.filter(value__isnull=False)))
        .prefetch_related("memberships", "ties", "competing_initiatives")
    )


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
    flags: list[str] = field(default_factory=list)
    months: list[PilotMonthRollup] = field(default_factory=list)

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


def value_is_flat(row: "DashboardRow", settings: OrganisationSettings, today: date) -> bool:
    """Value created this month and last is under FLAT_SHARE of the value to date."""
    months, totals = row.months, row.totals
    if totals is None or totals.value <= 0:
        return True
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    recent = sum(
        (
            settings.money(amount=m.value_money, hours=m.value_hours)
            for m in months
            if m.month >= last_month
        ),
        Decimal("0"),
    )
    return recent < totals.value * FLAT_SHARE


def _flags(row: DashboardRow, settings: OrganisationSettings, today: date) -> list[str]:
    pilot, flags = row.pilot, []
    if row.overdue:
        flags.append("overdue_cycles")
    if row.baselines_missing:
        flags.append("missing_baselines")
    near = (
        pilot.status == PilotStatus.RUNNING
        and row.weeks_run is not None
        and NEAR_STOP_MIN_WEEKS <= row.weeks_run < row.horizon_weeks
        and value_is_flat(row, settings, today)
    )
    if near:
        flags.append("near_premature_stop")
    if pilot.premature_stop:
        flags.append("premature_stop")
    return flags


def _self_containment(row: DashboardRow, assessment: Assessment) -> set[str]:
    """Keep the weakest group's score; flag by the pilots app's own thresholds."""
    if row.self_containment is None or assessment.score < row.self_containment:
        row.self_containment = assessment.score
    flags = set()
    if assessment.score < LOW_SCORE:
        flags.add("low_self_containment")
    if assessment.initiative_share > INITIATIVE_SHARE_LIMIT:
        flags.add("competing_initiatives")
    return flags


def dashboard_rows(
    queryset: QuerySet[Pilot], *, settings=None, today: date | None = None
) -> list[DashboardRow]:
    """One row per pilot for the dashboard: five queries whatever the number of pilots
    (pilots, settings, totals, month rollups, workgroups)."""
    today = today or timezone.localdate()
    pilots = list(dashboard_pilots(queryset))
    ids = [p.pk for p in pilots]
    settings = settings or OrganisationSettings.load()
    totals = pilot_totals(ids, settings=settings)
    months = month_rollups(ids)
    rows = {
        p.pk: DashboardRow(
            pilot=p,
            people=p.member_count + p.supervisor_count,
            weeks_run=weeks_run(p),
            horizon_weeks=p.patience_horizon_weeks,
            totals=totals.get(p.pk),
            months=months.get(p.pk, []),
        )
        for p in pilots
    }
    structural: dict[int, set[str]] = {pk: set() for pk in ids}
    for workgroup in dashboard_workgroups(ids, today=today):
        row = rows[workgroup.pilot_id]
        row.workgroups += 1
        row.overdue += int(workgroup.is_overdue)
        if row.pilot.status in STARTED and not workgroup.has_baseline:
            row.baselines_missing += 1
        structural[workgroup.pilot_id] |= _self_containment(row, assess_workgroup(workgroup))
    for pk, row in rows.items():
        row.flags = sorted(structural[pk], key=list(FLAG_LABELS).index) + _flags(
            row, settings, today
        )
    return list(rows.values())


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
        near_stop=sum("near_premature_stop" in r.flags for r in rows),
        premature=sum(r.pilot.premature_stop for r in rows),
    )

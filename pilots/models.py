"""Pilots, their workgroups, ties, competing initiatives, charters and the scale decision."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.fields import BoundedIntegerField, BoundedTextField
from core.history import History
from people.models import OrgUnit, Person


class Approach(models.TextChoices):
    WORK_REDEFINITION = "work_redefinition", "Work redefinition"
    JOB_REDESIGN = "job_redesign", "Job redesign"


class PilotStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    RUNNING = "running", "Running"
    REVIEWING = "reviewing", "Reviewing"
    SCALED = "scaled", "Scaled"
    STOPPED = "stopped", "Stopped"


class PilotQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place that decides which pilots a person may see (web and API alike):
        the portfolio right sees all; otherwise sponsors, supervisors and members see theirs."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("pilots.view_portfolio"):
            return self
        involved = Workgroup.objects.filter(
            models.Q(supervisor__user=user) | models.Q(memberships__person__user=user)
        ).values("pilot_id")
        return self.filter(models.Q(sponsor__user=user) | models.Q(pk__in=involved))

    def for_list(self):
        """What the pilot list shows, in a constant number of queries."""
        return self.select_related("sponsor").annotate(
            workgroup_count=models.Count("workgroups", distinct=True),
            member_count=models.Count("workgroups__memberships", distinct=True),
        )

    def for_page(self):
        """Everything the pilot page and the API detail read, prefetched once."""
        return self.select_related("sponsor", "org_unit").prefetch_related(
            models.Prefetch(
                "workgroups",
                queryset=Workgroup.objects.select_related("supervisor", "charter").prefetch_related(
                    models.Prefetch(
                        "memberships",
                        queryset=WorkgroupMember.objects.select_related("person"),
                    ),
                    "ties",
                    "competing_initiatives",
                ),
            ),
        )


class Pilot(models.Model):
    name = models.CharField(max_length=200)
    approach = models.CharField(max_length=32, choices=Approach.choices)
    vision = BoundedTextField(
        max_length=2000, help_text="What redefined work looks like for this group."
    )
    pain_point = BoundedTextField(
        max_length=2000, help_text="The operational pain point the pilot aims at."
    )
    demonstration_project = BoundedTextField(
        max_length=2000,
        help_text="The first project that shows the new way of working on the pain point.",
    )
    sponsor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sponsored_pilots")
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="pilots"
    )
    planned_start = models.DateField()
    review_date = models.DateField()
    # The bounds live on the fields: forms, the API and the admin all read them from here.
    patience_horizon_weeks = BoundedIntegerField(
        default=26,
        min_value=1,
        max_value=520,
        unit="week",
        help_text="Weeks the sponsor commits to run the pilot before judging results.",
    )
    baseline_window_weeks = BoundedIntegerField(default=12, min_value=1, max_value=104, unit="week")
    grace_period_days = BoundedIntegerField(default=90, min_value=0, max_value=3650, unit="day")

    status = models.CharField(
        max_length=16, choices=PilotStatus.choices, default=PilotStatus.DRAFT, db_index=True
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    premature_stop = models.BooleanField(default=False)
    baseline_override_reason = models.TextField(
        blank=True, help_text="Why the pilot started although some baselines had no data."
    )
    # Approving a pilot below the self-containment threshold takes an explicit acknowledgement,
    # kept with the score it acknowledged (see services.pilot_approve).
    containment_acknowledged_score = models.PositiveSmallIntegerField(null=True, blank=True)
    containment_acknowledged_at = models.DateTimeField(null=True, blank=True)
    containment_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = History()

    objects = PilotQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("view_portfolio", "See every pilot in the portfolio")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_date__gte=models.F("planned_start")),
                name="pilot_review_after_start",
                violation_error_message="The review date must be on or after the planned start.",
            ),
            models.CheckConstraint(
                condition=models.Q(patience_horizon_weeks__gte=1),
                name="pilot_patience_positive",
                violation_error_message="The patience horizon is at least 1 week.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def patience_horizon_ends(self):
        """When the sponsor's committed patience runs out (None before the start)."""
        if self.started_at is None:
            return None
        return self.started_at + timedelta(weeks=self.patience_horizon_weeks)


class PilotTransition(models.Model):
    """One lifecycle move: who took it, when and why. Written only by the lifecycle service."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=PilotStatus.choices)
    to_status = models.CharField(max_length=16, choices=PilotStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Not auto_now_add: the demo and tests replay history with back-dated moves.
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    # An approval by the pilot's own sponsor, allowed only where the organisation setting
    # says so and no other portfolio leader could approve (separation of duties).
    self_approved = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.pilot}: {self.from_status} → {self.to_status}"


class WorkgroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Workgroups of the pilots the user may see (see PilotQuerySet.visible_to)."""
        return self.filter(pilot__in=Pilot.objects.visible_to(user).values("pk"))

    def coached_by(self, user):
        return self.filter(supervisor__user=user)

    def with_self_containment_sums(self):
        """Annotate what the self-containment score reads — `member_total`, `tie_load`
        (Σ frequency × strength) and `initiative_share` (Σ time share %) — as one
        correlated subquery each, so no join multiplies the rows (see
        `pilots.selfcontainment.assess_annotated`)."""

        def total(model, expression):
            rows = model.objects.filter(workgroup=models.OuterRef("pk")).order_by()
            summed = rows.values("workgroup").annotate(total=expression).values("total")
            return Coalesce(models.Subquery(summed), 0, output_field=models.IntegerField())

        return self.annotate(
            member_total=total(WorkgroupMember, models.Count("pk")),
            tie_load=total(Tie, models.Sum(models.F("frequency") * models.F("strength"))),
            initiative_share=total(CompetingInitiative, models.Sum("time_share_percent")),
        )


class Workgroup(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="workgroups")
    name = models.CharField(max_length=200)
    supervisor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="supervised_workgroups"
    )
    members = models.ManyToManyField(
        Person, through="WorkgroupMember", related_name="workgroups", blank=True
    )
    cadence_days = BoundedIntegerField(
        default=14,
        min_value=1,
        max_value=365,
        unit="day",
        help_text="Expected days between coaching cycles.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = History()

    objects = WorkgroupQuerySet.as_manager()

    class Meta:
        ordering = ["pilot_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "name"],
                name="workgroup_name_unique_in_pilot",
                violation_error_message="This pilot already has a workgroup of that name.",
            ),
            models.CheckConstraint(
                condition=models.Q(cadence_days__gte=1),
                name="cadence_positive",
                violation_error_message="Coaching cadence is at least 1 day.",
            ),
        ]

    def __str__(self):
        return self.name


class WorkgroupMember(models.Model):
    workgroup = models.ForeignKey(Workgroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    added_at = models.DateTimeField(auto_now_add=True)

    history = History()

    class Meta:
        ordering = ["workgroup_id", "person__full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workgroup", "person"], name="member_once_per_workgroup"
            )
        ]

    def __str__(self):
        return f"{self.person} in {self.workgroup}"


class RunningAssignment(models.Model):
    """A person's seat in a running pilot. One row per person at most: the database itself
    refuses a second running workgroup. Rows exist from pilot start until the pilot ends."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="running_seat")
    workgroup = models.ForeignKey(
        Workgroup, on_delete=models.CASCADE, related_name="running_assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)  # the pilot's start, replayable

    def __str__(self):
        return f"{self.person} running in {self.workgroup}"


class TieFrequency(models.IntegerChoices):
    RARELY = 1, "Rarely"
    MONTHLY = 2, "Monthly"
    WEEKLY = 3, "Weekly"
    DAILY = 4, "Daily"


class TieStrength(models.IntegerChoices):
    WEAK = 1, "Weak"
    MODERATE = 2, "Moderate"
    STRONG = 3, "Strong"


class Tie(models.Model):
    """A dependency of the workgroup on another group or function."""

    workgroup = models.ForeignKey(Workgroup, on_delete=models.CASCADE, related_name="ties")
    counterpart = models.CharField(max_length=200, help_text="The other group or function.")
    frequency = models.PositiveSmallIntegerField(choices=TieFrequency.choices)
    strength = models.PositiveSmallIntegerField(choices=TieStrength.choices)
    note = models.CharField(max_length=300, blank=True)

    history = History()

    class Meta:
        ordering = ["workgroup_id", "counterpart", "id"]

    def __str__(self):
        return self.counterpart


class CompetingInitiative(models.Model):
    """Another initiative pulling on the same people's time."""

    workgroup = models.ForeignKey(
        Workgroup, on_delete=models.CASCADE, related_name="competing_initiatives"
    )
    name = models.CharField(max_length=200)
    owner = models.CharField(max_length=200, blank=True)
    time_share_percent = BoundedIntegerField(
        min_value=0,
        max_value=100,
        help_text="Share of the group's time the initiative takes, 0–100.",
    )

    history = History()

    class Meta:
        ordering = ["workgroup_id", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(time_share_percent__lte=100),
                name="time_share_at_most_100",
                violation_error_message="The share of time is at most 100 %.",
            )
        ]

    def __str__(self):
        return self.name


class Charter(models.Model):
    """The supervisor's acknowledgement and the sponsor's assurance, one per workgroup."""

    workgroup = models.OneToOneField(Workgroup, on_delete=models.CASCADE, related_name="charter")
    open_minded = models.BooleanField(default=False)
    risk_tolerant = models.BooleanField(default=False)
    customer_commitment = models.BooleanField(default=False)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assurance_confirmed_at = models.DateTimeField(null=True, blank=True)
    assurance_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the supervisor was asked by e-mail to sign; cleared when the supervisor changes.
    requested_at = models.DateTimeField(null=True, blank=True)

    history = History()

    def __str__(self):
        return f"Charter of {self.workgroup}"

    @property
    def is_complete(self) -> bool:
        return self.signed_at is not None and self.assurance_confirmed_at is not None


class Decision(models.TextChoices):
    SCALE = "scale", "Scale"
    ADAPT = "adapt", "Adapt and continue"
    STOP = "stop", "Stop"


class ScaleDecision(models.Model):
    """The sponsor's decision at review. "Adapt" sends the pilot back to running, so a pilot
    may collect several decisions; the latest one is the standing decision."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    lessons_learned = models.TextField()
    capabilities_built = models.TextField(blank=True)
    spread_to = models.ManyToManyField(OrgUnit, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)  # replayable, like transitions

    history = History()

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"{self.get_decision_display()} for {self.pilot}"

"""Coaching cycles (data → action → reflection → adaptation), their actions, the
opportunities they surface, and cadence reminders."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.history import History
from core.roles import sees_portfolio
from metrics.models import Observation
from people.models import Person
from pilots.models import Workgroup


def workgroups_in_coaching_view(user):
    """The workgroups whose coaching a user may read: the ones they coach, the ones of pilots
    they sponsor, every one with the portfolio right. Members and other supervisors of the
    same pilot see none (cycles are the supervisor's working notes)."""
    visible = Workgroup.objects.visible_to(user)
    if not user.is_authenticated or sees_portfolio(user):
        return visible
    return visible.filter(models.Q(supervisor__user=user) | models.Q(pilot__sponsor__user=user))


class CoachingQuerySet(models.QuerySet):
    """Cycles, opportunities and reminders are read through their workgroup's visibility."""

    def visible_to(self, user):
        return self.filter(workgroup__in=workgroups_in_coaching_view(user).values("pk"))


class Stage(models.TextChoices):
    DATA = "data", "Seek data and context"
    ACTION = "action", "Take action"
    REFLECTION = "reflection", "Reflect and learn"
    ADAPTATION = "adaptation", "Refine and adapt"
    COMPLETED = "completed", "Completed"
    ABANDONED = "abandoned", "Abandoned"


OPEN_STAGES = [Stage.DATA, Stage.ACTION, Stage.REFLECTION, Stage.ADAPTATION]


class CycleQuerySet(CoachingQuerySet):
    def open(self):
        return self.filter(stage__in=OPEN_STAGES)

    def completed(self):
        return self.filter(stage=Stage.COMPLETED)


class Cycle(models.Model):
    """One coaching cycle of a workgroup. `stage` is the stage being worked on; each stage's
    `*_done_at` is set when the supervisor saves it and moves on, never reopened."""

    workgroup = models.ForeignKey(Workgroup, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveIntegerField()
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.DATA)
    # The last *completed* cycle when this one started: its `changes_next` is this cycle's
    # starting point. A ForeignKey, not one-to-one: after an abandoned cycle the next one
    # starts from the same completed cycle again.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycles"
    )
    # A default rather than auto_now_add so the demo (and imports) can replay history.
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    data_sought = models.TextField(blank=True)
    context = models.TextField(blank=True)
    observations = models.ManyToManyField(Observation, blank=True, related_name="+")
    data_done_at = models.DateTimeField(null=True, blank=True)

    action_done_at = models.DateTimeField(null=True, blank=True)

    learned = models.TextField(blank=True)
    surprised = models.TextField(blank=True)
    confidence = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="0–10: how confident the supervisor is the group is on track.",
    )
    reflection_done_at = models.DateTimeField(null=True, blank=True)

    changes_next = models.TextField(blank=True)
    adaptation_done_at = models.DateTimeField(null=True, blank=True)

    abandoned_at = models.DateTimeField(null=True, blank=True)
    abandon_reason = models.TextField(blank=True)

    history = History()

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["workgroup_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["workgroup", "number"], name="cycle_number_unique"),
            models.UniqueConstraint(
                fields=["workgroup"],
                condition=models.Q(stage__in=OPEN_STAGES),
                name="one_open_cycle_per_workgroup",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True) | models.Q(confidence__lte=10),
                name="cycle_confidence_0_to_10",
            ),
        ]
        indexes = [
            models.Index(fields=["workgroup", "stage"], name="cycle_workgroup_stage_idx"),
            # Cadence reads each group's latest cycle start (dashboard, reminders, My groups).
            models.Index(fields=["workgroup", "-started_at"], name="cycle_workgroup_started_idx"),
            # The incremental rollup refresh reads a stale month's completed cycles.
            models.Index(
                fields=["workgroup", "adaptation_done_at"],
                condition=models.Q(stage="completed"),
                name="cycle_workgroup_completed_idx",
            ),
        ]

    def __str__(self):
        return f"{self.workgroup} cycle {self.number}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def starting_point(self) -> str:
        """What the previous completed cycle said would change next."""
        return self.previous.changes_next if self.previous_id else ""


class ActionKind(models.TextChoices):
    TASK = "task", "Task work"
    RELATIONSHIP = "relationship", "Relationship work"


class CycleAction(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    kind = models.CharField(max_length=12, choices=ActionKind.choices)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    history = History()

    class Meta:
        ordering = ["cycle_id", "created_at", "id"]

    def __str__(self):
        return self.description


class OpportunityStatus(models.TextChoices):
    FOUND = "found", "Found"
    ADDRESSED = "addressed", "Addressed"
    DROPPED = "dropped", "Dropped"


class EffectUnit(models.TextChoices):
    MONEY = "money", "Money"
    HOURS = "hours", "Hours"


class Opportunity(models.Model):
    """An unseen problem or opportunity a cycle surfaced. Values are estimated when found and
    realised when addressed; efficiency may be in money or hours (converted at the org rate)."""

    workgroup = models.ForeignKey(Workgroup, on_delete=models.CASCADE, related_name="opportunities")
    found_in = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="opportunities_found"
    )
    addressed_in = models.ForeignKey(
        Cycle,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities_addressed",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=OpportunityStatus.choices, default=OpportunityStatus.FOUND
    )
    estimated_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    realised_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    efficiency_unit = models.CharField(
        max_length=8, choices=EffectUnit.choices, default=EffectUnit.MONEY
    )
    estimated_efficiency = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    realised_efficiency = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    found_at = models.DateTimeField(default=timezone.now)
    addressed_at = models.DateTimeField(null=True, blank=True)
    dropped_at = models.DateTimeField(null=True, blank=True)
    drop_reason = models.TextField(blank=True)

    history = History()

    objects = CoachingQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["workgroup", "status"], name="opportunity_wg_status_idx"),
            # The incremental rollup refresh reads a stale month's found and addressed ones.
            models.Index(fields=["workgroup", "found_at"], name="opportunity_wg_found_idx"),
            models.Index(
                fields=["workgroup", "addressed_at"],
                condition=models.Q(status="addressed"),
                name="opportunity_wg_addressed_idx",
            ),
        ]

    def __str__(self):
        return self.title


class ReminderKind(models.TextChoices):
    OVERDUE = "overdue", "Overdue cycle"
    DIGEST = "digest", "Sponsor weekly digest"


class ReminderQuerySet(models.QuerySet):
    def for_user(self, user):
        """A person's own reminders only, whoever else may read the workgroup."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient__user=user)


class Reminder(models.Model):
    """A reminder sent (or shown) once: unique per recipient, kind, workgroup and day."""

    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminders")
    workgroup = models.ForeignKey(
        Workgroup, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    for_date = models.DateField()
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-for_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "workgroup", "for_date"], name="reminder_once_a_day"
            ),
            # NULLs are distinct in the constraint above, so digests (no workgroup) get their
            # own: `for_date` of a digest is the Monday of its week → one digest a week.
            models.UniqueConstraint(
                fields=["kind", "recipient", "for_date"],
                condition=models.Q(workgroup__isnull=True),
                name="reminder_digest_once_a_week",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient} on {self.for_date}"

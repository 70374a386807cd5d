"""Coaching cycles (data → action → reflection → adaptation), their actions, the
opportunities they surface, and cadence reminders."""

from django.conf import settings
from django.db import models

from metrics.models import Observation
from people.models import Person
from pilots.models import Workgroup


class Stage(models.TextChoices):
    DATA = "data", "Seek data and context"
    ACTION = "action", "Take action"
    REFLECTION = "reflection", "Reflect and learn"
    ADAPTATION = "adaptation", "Refine and adapt"
    COMPLETED = "completed", "Completed"
    ABANDONED = "abandoned", "Abandoned"


OPEN_STAGES = [Stage.DATA, Stage.ACTION, Stage.REFLECTION, Stage.ADAPTATION]


class Cycle(models.Model):
    """One coaching cycle of a workgroup. `stage` is the stage being worked on; each stage's
    `*_done_at` is set when the supervisor saves it and moves on, never reopened."""

    workgroup = models.ForeignKey(Workgroup, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveIntegerField()
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.DATA)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycle"
    )
    started_at = models.DateTimeField(auto_now_add=True)
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
        indexes = [models.Index(fields=["workgroup", "stage"], name="cycle_workgroup_stage_idx")]

    def __str__(self):
        return f"{self.workgroup} cycle {self.number}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


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
    created_at = models.DateTimeField(auto_now_add=True)

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
    found_at = models.DateTimeField(auto_now_add=True)
    addressed_at = models.DateTimeField(null=True, blank=True)
    dropped_at = models.DateTimeField(null=True, blank=True)
    drop_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name_plural = "opportunities"
        indexes = [models.Index(fields=["workgroup", "status"], name="opportunity_wg_status_idx")]

    def __str__(self):
        return self.title


class ReminderKind(models.TextChoices):
    OVERDUE = "overdue", "Overdue cycle"
    DIGEST = "digest", "Sponsor weekly digest"


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

    class Meta:
        ordering = ["-for_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "workgroup", "for_date"], name="reminder_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient} on {self.for_date}"

"""Evidence that a pilot's value is its own: comparison sets frozen with the baseline, the
effect snapshots the portfolio reads, and the follow-up evaluations weeks and years later."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from core.history import History
from metrics.models import ImmutableRow, MetricDefinition
from people.models import Person
from pilots.models import Pilot, Workgroup


class ComparisonChoice(models.Model):
    """The sponsor's choice of comparison workgroups before the start. Editable until the
    pilot starts; the start freezes it (or the proposal, when nobody chose) into version 1."""

    pilot = models.OneToOneField(Pilot, on_delete=models.CASCADE, related_name="comparison_choice")
    workgroups = models.ManyToManyField(Workgroup, related_name="+", blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now=True)

    history = History()

    def __str__(self):
        return f"Comparison choice for {self.pilot}"


class ComparisonSource(models.TextChoices):
    PROPOSAL = "proposal", "Proposal accepted at the start"
    CHOICE = "choice", "Chosen by the sponsor before the start"
    RESELECTION = "reselection", "Re-selected after the start, with a reason"


class ComparisonSetQuerySet(models.QuerySet):
    def in_force(self):
        """The latest version of each pilot's set."""
        newer = ComparisonSet.objects.filter(
            pilot_id=models.OuterRef("pilot_id"), version__gt=models.OuterRef("version")
        )
        return self.exclude(models.Exists(newer))

    def update(self, **kwargs):
        raise ImmutableRow("A frozen comparison set never changes: re-select to add a version.")

    def delete(self):
        raise ImmutableRow("A frozen comparison set is never deleted.")


class ComparisonSet(models.Model):
    """One frozen version of a pilot's comparison group, with the pre-period it was matched
    on and the outcome metrics it answers for. Never updated or deleted: a re-selection is
    a new row with the next `version` and a reason; the highest version is in force."""

    pilot = models.ForeignKey(Pilot, on_delete=models.PROTECT, related_name="comparison_sets")
    version = models.PositiveSmallIntegerField(default=1)
    source = models.CharField(max_length=16, choices=ComparisonSource.choices)
    reason = models.TextField(blank=True, help_text="Why this version replaced the previous one.")
    pre_start = models.DateField(help_text="Monday of the first pre-period week.")
    pre_end = models.DateField(help_text="Sunday of the last pre-period week.")
    outcome_metrics = models.ManyToManyField(MetricDefinition, related_name="+")
    # The pilot's own groups' level and slope per metric when the set was frozen, so the side
    # by side the sponsor saw stays readable: {workgroup id: {metric key: [level, slope]}}.
    treated_profile = models.JSONField(default=dict)
    frozen_at = models.DateTimeField()
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ComparisonSetQuerySet.as_manager()

    class Meta:
        ordering = ["pilot_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "version"], name="comparison_version_unique")
        ]

    def __str__(self):
        return f"Comparison for {self.pilot} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRow("A frozen comparison set never changes: re-select instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRow("A frozen comparison set is never deleted.")


class ComparisonMember(models.Model):
    """A workgroup in a frozen comparison set, with what it was matched on."""

    comparison_set = models.ForeignKey(
        ComparisonSet, on_delete=models.PROTECT, related_name="members"
    )
    workgroup = models.ForeignKey(Workgroup, on_delete=models.PROTECT, related_name="+")
    profile = models.JSONField(default=dict, help_text="{metric key: [level, slope]}")
    distance = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["comparison_set_id", "distance", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comparison_set", "workgroup"], name="comparison_member_once"
            )
        ]

    def __str__(self):
        return f"{self.workgroup} in {self.comparison_set}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRow("Members of a frozen comparison set never change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRow("Members of a frozen comparison set are never deleted.")


class EffectSnapshot(models.Model):
    """The last computed effect of a pilot on one outcome metric (derived data, rebuilt by
    `evidence.tasks.refresh_effects`): the portfolio reads these, one query for a page."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="effect_snapshots")
    metric = models.ForeignKey(MetricDefinition, on_delete=models.CASCADE, related_name="+")
    comparison_version = models.PositiveSmallIntegerField()
    estimate = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    p_value = models.FloatField(null=True, blank=True)
    money_per_group_week = models.DecimalField(
        max_digits=20, decimal_places=2, null=True, blank=True
    )
    not_estimable = models.CharField(max_length=32, blank=True)
    treated_groups = models.PositiveIntegerField(default=0)
    comparison_groups = models.PositiveIntegerField(default=0)
    pre_weeks = models.PositiveIntegerField(default=0)
    post_weeks = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["pilot_id", "metric__key"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "metric"], name="effect_snapshot_unique")
        ]

    def __str__(self):
        return f"Effect of {self.pilot_id} on {self.metric_id}"


DEFAULT_OFFSETS_WEEKS = [6, 26, 52, 104]


def default_offsets():
    return list(DEFAULT_OFFSETS_WEEKS)


class FollowUpPlan(models.Model):
    """When follow-ups go out after the pilot ends, in weeks (default +6 weeks, +6 months,
    +1 year, +2 years). A pilot without a plan row uses the default."""

    pilot = models.OneToOneField(Pilot, on_delete=models.CASCADE, related_name="followup_plan")
    offsets_weeks = models.JSONField(default=default_offsets)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = History()

    def __str__(self):
        return f"Follow-up plan for {self.pilot}"


class FollowUpWave(models.Model):
    """One follow-up round of an ended pilot: due on a date, sent once by the scheduler."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="followup_waves")
    offset_weeks = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pilot_id", "offset_weeks"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "offset_weeks"], name="followup_wave_once")
        ]

    def __str__(self):
        return f"{self.pilot} +{self.offset_weeks} weeks"


class FollowUpRole(models.TextChoices):
    SPONSOR = "sponsor", "Sponsor"
    SUPERVISOR = "supervisor", "Supervisor"
    MEMBER = "member", "Member"


class FollowUpInvitation(models.Model):
    """One person invited to one wave. The link's token is made when the e-mail is sent and
    only its keyed hash is stored; it works once, until `expires_at`. Nothing here points to
    the answer, and the answer does not point here (see FollowUpAnswer)."""

    wave = models.ForeignKey(FollowUpWave, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=FollowUpRole.choices)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["wave_id", "person__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "person"], name="followup_invited_once")
        ]

    def __str__(self):
        return f"{self.person} for {self.wave}"


class FollowUpAnswer(models.Model):
    """One answer to the appreciative-inquiry form. Anonymous answers keep nothing of the
    person: no person, no role, no invitation, and no time of answering; the primary key is
    random so row order says nothing about who answered when. No audit history either."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(FollowUpWave, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Only when the person chose to answer with their name.",
    )  # fmt: skip
    worked_best = models.TextField(blank=True)
    keep = models.TextField(blank=True)
    hope_next = models.TextField(blank=True)
    in_the_way = models.TextField(blank=True)
    still_redefined = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(still_redefined__lte=10), name="still_redefined_0_to_10"
            )
        ]

    def __str__(self):
        return f"Answer to {self.wave}"

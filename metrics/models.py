"""Metric definitions, append-only observations, frozen baselines and below-baseline alerts."""

from django.db import models

from people.models import Person
from pilots.models import Pilot


class MetricKind(models.TextChoices):
    EFFICIENCY = "efficiency", "Efficiency"
    VALUE = "value", "Value created"
    PERFORMANCE = "performance", "Performance (used in supervisor reviews)"


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"


class Aggregation(models.TextChoices):
    MEAN = "mean", "Mean"
    SUM = "sum", "Sum"
    LAST = "last", "Last"


class MetricDefinition(models.Model):
    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=32, help_text='For example "hours", "EUR", "%", "days".')
    kind = models.CharField(max_length=16, choices=MetricKind.choices)
    direction = models.CharField(max_length=20, choices=Direction.choices)
    aggregation = models.CharField(max_length=8, choices=Aggregation.choices)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.name

    def better(self, a, b):
        """The better of two values by this metric's direction."""
        if self.direction == Direction.HIGHER_IS_BETTER:
            return max(a, b)
        return min(a, b)


class SubjectType(models.TextChoices):
    PERSON = "person", "Person"
    WORKGROUP = "workgroup", "Workgroup"
    PILOT = "pilot", "Pilot"


class ObservationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def for_person(self, person):
        return self.filter(subject_type=SubjectType.PERSON, subject_id=person.pk)


class Observation(models.Model):
    """One measured value of a metric for a subject over a period (both dates inclusive).

    Append-only: a correction is a new row that `supersedes` the old one; the old row only
    loses `is_current`. `subject_id` is the primary key of the person, workgroup or pilot
    (the API shows a person's external_id). Current rows are unique on the natural key.
    """

    metric = models.ForeignKey(MetricDefinition, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=10, choices=SubjectType.choices)
    subject_id = models.BigIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=4)
    source = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "metric",
                    "subject_type",
                    "subject_id",
                    "period_start",
                    "period_end",
                    "source",
                ],
                condition=models.Q(is_current=True),
                name="observation_current_natural_key",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="observation_period_ordered",
            ),
        ]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "metric", "period_start"],
                name="observation_subject_idx",
                condition=models.Q(is_current=True),
            ),
        ]

    def __str__(self):
        return f"{self.metric_id} {self.subject_type}:{self.subject_id} {self.period_start}"


class Baseline(models.Model):
    """A supervisor's performance metric frozen at pilot start. Never updated or deleted
    (the model, the admin, the API and a PostgreSQL trigger all refuse). A re-baseline is a
    new row with the next `version`; the highest version is the one in force."""

    pilot = models.ForeignKey(Pilot, on_delete=models.PROTECT, related_name="baselines")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="baselines")
    metric = models.ForeignKey(MetricDefinition, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Empty when the window had no data and the sponsor overrode the gap.",
    )
    observation_count = models.PositiveIntegerField()
    window_start = models.DateField()
    window_end = models.DateField()
    frozen_at = models.DateTimeField()
    version = models.PositiveSmallIntegerField(default=1)
    reason = models.TextField(blank=True, help_text="Why this version replaced the previous one.")

    class Meta:
        ordering = ["pilot_id", "person_id", "metric_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "person", "metric", "version"], name="baseline_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.person} {self.metric} v{self.version}"


class BelowBaselineAlert(models.Model):
    """A supervisor's actual fell below the frozen baseline during protection. One row, and so
    one email, per person, metric and period."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="below_baseline_alerts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    metric = models.ForeignKey(MetricDefinition, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    actual = models.DecimalField(max_digits=20, decimal_places=4)
    baseline = models.DecimalField(max_digits=20, decimal_places=4)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "person", "metric", "period_start", "period_end"],
                name="below_baseline_alert_once",
            )
        ]

    def __str__(self):
        return f"{self.person} below baseline on {self.metric_id} from {self.period_start}"

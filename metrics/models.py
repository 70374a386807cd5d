"""Metric definitions, append-only observations, frozen baselines and below-baseline alerts."""

from django.conf import settings
from django.db import models

from core.history import History
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


class MetricDefinitionQuerySet(models.QuerySet):
    def performance(self):
        return self.filter(kind=MetricKind.PERFORMANCE, active=True)


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

    history = History()

    objects = MetricDefinitionQuerySet.as_manager()

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.name

    def meaning(self) -> dict[str, str]:
        """What a baseline freezes with the value: how the metric is read."""
        return {f"metric_{name}": getattr(self, name) for name in MEANING}

    def is_in_use(self) -> bool:
        """Observed or frozen in a baseline. Current rows suffice (every superseded row has a
        current successor of the same key), and they are what the natural-key index holds."""
        return (
            Observation.objects.current().filter(metric=self).exists()
            or Baseline.objects.filter(metric=self).exists()
        )


# The fields that give a metric its meaning. Fixed once observations or baselines use it: a
# changed meaning would re-read every frozen baseline and every stored value.
MEANING = ("direction", "aggregation", "unit", "kind")


class SubjectType(models.TextChoices):
    PERSON = "person", "Person"
    WORKGROUP = "workgroup", "Workgroup"
    PILOT = "pilot", "Pilot"


class ImmutableRow(Exception):
    """An attempt to change or delete a row the domain declares immutable."""


# The only columns a supersede may touch on an existing observation.
SUPERSEDE_FIELDS = frozenset({"is_current", "superseded_at"})


class ObservationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def for_person(self, person):
        return self.filter(subject_type=SubjectType.PERSON, subject_id=person.pk)

    def persons(self):
        return self.filter(subject_type=SubjectType.PERSON)

    def within(self, start, end):
        """Observations whose whole period lies inside [start, end] (both inclusive)."""
        return self.filter(period_start__gte=start, period_end__lte=end)

    def visible_to(self, user):
        """The observations `user` reads (metrics.permissions.readable_observations)."""
        from metrics.permissions import readable_observations

        readable = readable_observations(user)
        return self if readable is None else self.filter(readable)

    def update(self, **kwargs):
        if set(kwargs) - SUPERSEDE_FIELDS or kwargs.get("is_current", False):
            raise ImmutableRow("Observations are append-only: only a supersede may change a row.")
        return super().update(**kwargs)

    def delete(self):
        raise ImmutableRow("Observations are append-only and are never deleted.")


class Observation(models.Model):
    """One measured value of a metric for a subject over a period (both dates inclusive).

    Append-only: a correction is a new row that `supersedes` the old one; the old row only
    loses `is_current`. `subject_id` is the primary key of the person, workgroup or pilot
    (the API shows a person's external_id). Current rows are unique on the natural key.
    """

    # No index of its own: the natural-key unique index leads with metric_id, and one index
    # fewer makes bulk ingest cheaper (the benchmark's finding).
    metric = models.ForeignKey(
        MetricDefinition, on_delete=models.PROTECT, related_name="+", db_index=False
    )
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
    # Who wrote the row: the API client of a bearer-token request, the CSV import it came
    # from, the person logged in. No indexes of their own: every one would slow bulk ingest,
    # and these are read for one row at a time (a dispute), not searched.
    api_client = models.ForeignKey(
        "hrapi.ApiClient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    import_job = models.ForeignKey(
        "ImportJob",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
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

    def save(self, *args, **kwargs):
        """New rows are inserted; an existing row may only be flipped to superseded."""
        if not self._state.adding:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or fields - SUPERSEDE_FIELDS or self.is_current:
                raise ImmutableRow("Observations are append-only: record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRow("Observations are append-only and are never deleted.")


class BaselineQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The baselines `user` reads (metrics.permissions.readable_baselines): the pilot
        page's rule, so the page and the API list the same baselines."""
        from metrics.permissions import readable_baselines

        readable = readable_baselines(user)
        return self if readable is None else self.filter(readable)

    def in_force(self):
        """Only the latest version of each (pilot, person, metric)."""
        newer = Baseline.objects.filter(
            pilot_id=models.OuterRef("pilot_id"),
            person_id=models.OuterRef("person_id"),
            metric_id=models.OuterRef("metric_id"),
            version__gt=models.OuterRef("version"),
        )
        return self.exclude(models.Exists(newer))

    def update(self, **kwargs):
        raise ImmutableRow("A frozen baseline never changes: re-baseline adds a new version.")

    def delete(self):
        raise ImmutableRow("A frozen baseline is never deleted.")


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
    # The metric's meaning when this version was frozen: protection reads the baseline by
    # these, whatever the definition says later.
    metric_direction = models.CharField(max_length=20, choices=Direction.choices)
    metric_aggregation = models.CharField(max_length=8, choices=Aggregation.choices)
    metric_unit = models.CharField(max_length=32)
    metric_kind = models.CharField(max_length=16, choices=MetricKind.choices)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who started the pilot (version 1) or re-baselined (later versions).",
    )

    objects = BaselineQuerySet.as_manager()

    class Meta:
        ordering = ["pilot_id", "person_id", "metric_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "person", "metric", "version"], name="baseline_version_unique"
            ),
            # A baseline frozen without its meaning could not be read: refuse it at the source.
            models.CheckConstraint(
                condition=models.Q(
                    metric_direction__in=Direction.values,
                    metric_aggregation__in=Aggregation.values,
                    metric_kind__in=MetricKind.values,
                ),
                name="baseline_meaning_recorded",
            ),
        ]
        # The API's `?ordering=frozen_at` (id is the primary key): a page, not a sort.
        indexes = [models.Index(fields=["frozen_at", "id"], name="baseline_frozen_order_idx")]

    def __str__(self):
        return f"{self.person} {self.metric} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRow("A frozen baseline never changes: re-baseline adds a new version.")
        if not self.metric_direction:  # frozen now, so it is read as the metric is read now
            for name, value in self.metric.meaning().items():
                setattr(self, name, value)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRow("A frozen baseline is never deleted.")

    def meaning(self) -> dict[str, str]:
        return {f"metric_{name}": getattr(self, f"metric_{name}") for name in MEANING}


class AlertAudience(models.TextChoices):
    SUPERVISOR = "supervisor", "Supervisor"
    SPONSOR = "sponsor", "Sponsor"


class AlertEmail(models.Model):
    """One e-mail listing below-baseline alerts: to a supervisor about all their metrics and
    weeks (no pilot), or to a sponsor about one pilot. At most one per recipient (and pilot)
    and day, so a large import is one e-mail per person, not one per row."""

    audience = models.CharField(max_length=12, choices=AlertAudience.choices)
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    pilot = models.ForeignKey(Pilot, null=True, blank=True, on_delete=models.CASCADE)
    for_date = models.DateField()
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "for_date"],
                condition=models.Q(audience="supervisor"),
                name="alert_email_supervisor_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["recipient", "pilot", "for_date"],
                condition=models.Q(audience="sponsor"),
                name="alert_email_sponsor_once_a_day_per_pilot",
            ),
        ]

    def __str__(self):
        return f"below-baseline e-mail to {self.recipient_id} for {self.for_date}"


class BelowBaselineAlert(models.Model):
    """A supervisor's actual fell below the frozen baseline during protection. One row per
    person, metric and period; it is listed in one daily e-mail to the supervisor and one to
    the pilot's sponsor (`supervisor_email`, `sponsor_email`)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="below_baseline_alerts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    metric = models.ForeignKey(MetricDefinition, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    actual = models.DecimalField(max_digits=20, decimal_places=4)
    baseline = models.DecimalField(max_digits=20, decimal_places=4)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)  # first listed in a sent e-mail
    supervisor_email = models.ForeignKey(
        AlertEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sponsor_email = models.ForeignKey(
        AlertEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.roles import is_hr_admin

        return self if is_hr_admin(user) else self.none()


class ImportJob(models.Model):
    """A CSV of observations uploaded by an HR admin and processed by a Celery task in chunks.
    Validation covers the whole file before anything is written (all-or-nothing)."""

    file = models.FileField(upload_to="metric-imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Import {self.pk} ({self.original_name})"

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.FAILED):
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

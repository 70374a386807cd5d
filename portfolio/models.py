"""Organisation settings for money conversion and the rollups behind the portfolio.

The rollup tables are derived data: `portfolio.rollups.rollups_refresh()` recomputes them
set-based from observations, opportunities and cycles, so the dashboard reads a few hundred
rows instead of aggregating millions of observations per request. Amounts are stored in
their own units (money and hours apart); hours become money at read time, at the current
loaded hourly rate, so a rate change shows at once.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from pilots.models import Pilot, Workgroup

HOURS_UNITS = ("hours", "hour", "h", "hrs")


class OrganisationSettings(models.Model):
    """The one row of organisation-wide settings (pk is always 1)."""

    hourly_rate = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("60.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Loaded cost of one hour of work: converts hours saved into money.",
    )
    currency = models.CharField(
        max_length=3,
        default="EUR",
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. EUR.")],
        help_text="ISO 4217 code of the money metrics and opportunity values, e.g. EUR.",
    )
    # Each kind of e-mail can be turned off; the rows (alerts, reminders) are still recorded
    # and shown in the app.
    email_below_baseline = models.BooleanField(
        "E-mail below-baseline alerts",
        default=True,
        help_text="One e-mail a day to each supervisor, and to each sponsor per pilot.",
    )
    email_cycle_reminders = models.BooleanField(
        "E-mail overdue-cycle reminders", default=True, help_text="To the supervisor, once a day."
    )
    email_sponsor_digest = models.BooleanField(
        "E-mail the weekly sponsor digest", default=True, help_text="On Monday morning."
    )
    allow_self_approval = models.BooleanField(
        default=False,
        help_text="Let a sponsor approve their own pilot when no other portfolio leader could "
        "(a one-leader organisation). The pilot's lifecycle record says it was self-approved.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "organisation settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="settings_singleton")]

    def __str__(self):
        return f"{self.hourly_rate} {self.currency} per hour"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "OrganisationSettings":
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings

    def money(self, *, amount: Decimal, hours: Decimal) -> Decimal:
        """An amount in currency plus hours at the loaded rate, in currency."""
        return (Decimal(amount or 0) + Decimal(hours or 0) * self.hourly_rate).quantize(
            Decimal("0.01")
        )


class PilotMonthRollup(models.Model):
    """One pilot's outcomes and leading indicators in one calendar month (derived data)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="month_rollups")
    month = models.DateField(help_text="First day of the month.")
    value_money = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    value_hours = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    efficiency_money = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    efficiency_hours = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    cycles_completed = models.PositiveIntegerField(default=0)
    opportunities_found = models.PositiveIntegerField(default=0)
    opportunities_addressed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pilot_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "month"], name="pilot_month_rollup_unique")
        ]

    def __str__(self):
        return f"{self.pilot_id} {self.month:%Y-%m}"


class WorkgroupMonthRollup(models.Model):
    """One workgroup's leading indicators in one calendar month (derived data)."""

    workgroup = models.ForeignKey(Workgroup, on_delete=models.CASCADE, related_name="month_rollups")
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month.")
    cycles_completed = models.PositiveIntegerField(default=0)
    opportunities_found = models.PositiveIntegerField(default=0)
    opportunities_addressed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["workgroup_id", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["workgroup", "month"], name="workgroup_month_rollup_unique"
            )
        ]

    def __str__(self):
        return f"{self.workgroup_id} {self.month:%Y-%m}"


class RollupState(models.Model):
    """When the rollups were last rebuilt (one row, pk 1): the page says how fresh they are,
    and the refresh locks this row so two refreshes never interleave."""

    refreshed_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="rollup_singleton")]

    def __str__(self):
        return f"Rollups refreshed at {self.refreshed_at}"


class RollupChange(models.Model):
    """A rollup cell some committed write made stale: written by database triggers in the
    writer's own transaction (see `portfolio.triggers`), consumed by the incremental refresh.

    `kind` says what `key_id` is: a pilot, a workgroup or a person (resolved to pilots at
    refresh time), or `all` (currency or a metric's kind/unit changed: rebuild everything).
    `month` is the first day of the stale month; null means every month of the key. No
    foreign keys: a change outlives the row it is about (a deleted workgroup still leaves
    its pilot stale), and the table is append-only for writers (no unique index, so two
    writers never wait on each other here)."""

    kind = models.CharField(max_length=10)
    key_id = models.BigIntegerField(null=True)
    month = models.DateField(null=True)

    def __str__(self):
        return f"{self.kind}:{self.key_id} {self.month or 'all months'}"

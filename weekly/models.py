"""The supervisor's weekly split between strategic work (coaching, finding and solving unseen
problems) and detail work (executing tasks), and the Friday reminder to record it."""

from django.conf import settings
from django.db import models

from core.history import History
from people.models import Person


class WeeklySplitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Which entries a person may read is decided in weekly.permissions, once."""
        from weekly.permissions import readable_people

        people = readable_people(user)
        if people is None:
            return self
        return self.filter(person__in=people)

    def with_person(self):
        return self.select_related("person")


class WeeklySplit(models.Model):
    """One person's split for one week, keyed by the week's Monday."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="weekly_splits")
    week = models.DateField(help_text="The Monday of the week.")
    strategic_percent = models.PositiveSmallIntegerField(
        help_text="Share of the week's time on strategic work; the rest was detail work."
    )
    note = models.TextField(blank=True, max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = History()

    objects = WeeklySplitQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "week"], name="weekly_split_once_a_week"),
            models.CheckConstraint(
                condition=models.Q(strategic_percent__lte=100), name="weekly_split_percent_range"
            ),
        ]
        indexes = [models.Index(fields=["week"], name="weekly_split_week_idx")]

    def __str__(self):
        return f"{self.person} week of {self.week}: {self.strategic_percent} % strategic"

    @property
    def detail_percent(self) -> int:
        return 100 - self.strategic_percent


class SplitReminder(models.Model):
    """The Friday reminder of one person for one week: filed once, e-mailed once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="split_reminders")
    week = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "week"], name="split_reminder_once_a_week")
        ]

    def __str__(self):
        return f"Split reminder for {self.person}, week of {self.week}"

"""Goals that cascade from the organisation to the pilot, the heads of org units who manage
them, "contributes to" links across branches, and the goals each pilot serves."""

from django.conf import settings
from django.db import models
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet

from core.history import History
from metrics.models import MetricDefinition
from people.models import OrgUnit, Person
from pilots.models import Pilot


class GoalLevel(models.TextChoices):
    """From the top down; a goal's children sit at its level or below, never above."""

    ORGANISATION = "organisation", "Organisation"
    DEPARTMENT = "department", "Department"
    TEAM = "team", "Team"
    PILOT = "pilot", "Pilot"


LEVEL_RANK = {level: rank for rank, level in enumerate(GoalLevel.values)}


class UnitHead(models.Model):
    """A person who heads an org unit (a department head, a team lead): they manage the goals
    of that unit's whole subtree. Kept by HR admins; a unit may have co-heads."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="heads")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="headed_units")
    created_at = models.DateTimeField(auto_now_add=True)

    history = History()

    class Meta:
        ordering = ["org_unit_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "person"], name="unit_head_once")
        ]

    def __str__(self):
        return f"{self.person} heads {self.org_unit}"


class GoalQuerySet(TreeQuerySet):
    def visible_to(self, user):
        """Who reads goals is decided in goals.permissions, once."""
        from goals.permissions import can_read_goals

        return self if can_read_goals(user) else self.none()

    def for_list(self):
        """What the tree page and the API list read, in a fixed number of queries."""
        return self.select_related("org_unit", "owner", "metric", "pilot").prefetch_related(
            models.Prefetch("children", queryset=Goal.objects.only("id", "parent_id")),
            models.Prefetch(
                "contributions",
                queryset=GoalContribution.objects.order_by("to_goal_id"),
            ),
            models.Prefetch("pilots", queryset=Pilot.objects.only("id").order_by("id")),
        )

    def active_on(self, day):
        return self.filter(period_start__lte=day, period_end__gte=day)

    def overlapping(self, start=None, end=None):
        queryset = self
        if start is not None:
            queryset = queryset.filter(period_end__gte=start)
        if end is not None:
            queryset = queryset.filter(period_start__lte=end)
        return queryset


class Goal(TreeNode):
    """One goal: an owner answers for moving a metric from a start value to a target value
    over a period, for an org unit (or a pilot, at the pilot level)."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    level = models.CharField(max_length=16, choices=GoalLevel.choices)
    # A plain parent key, like OrgUnit's; django-tree-queries reads the tree with a recursive
    # query on SQLite and PostgreSQL alike. PROTECT: a goal with sub-goals is not deleted.
    parent = TreeNodeForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="goals")
    pilot = models.ForeignKey(
        Pilot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_goals",
        help_text="Only for pilot-level goals: the pilot whose goal this is.",
    )
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="owned_goals")
    period_start = models.DateField()
    period_end = models.DateField()
    metric = models.ForeignKey(MetricDefinition, on_delete=models.PROTECT, related_name="+")
    start_value = models.DecimalField(max_digits=20, decimal_places=4)
    target_value = models.DecimalField(max_digits=20, decimal_places=4)
    contributes_to = models.ManyToManyField(
        "self",
        through="GoalContribution",
        through_fields=("from_goal", "to_goal"),
        symmetrical=False,
        related_name="contributors",
        blank=True,
    )
    pilots = models.ManyToManyField(Pilot, through="PilotGoal", related_name="goals", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = History()

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="goal_period_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(target_value=models.F("start_value")),
                name="goal_target_differs_from_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="goal_not_own_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(level="pilot", pilot__isnull=False)
                | (~models.Q(level="pilot") & models.Q(pilot__isnull=True)),
                name="goal_pilot_only_at_pilot_level",
            ),
        ]

    def __str__(self):
        return self.title


class GoalContribution(models.Model):
    """A secondary link: this goal also moves a goal outside its own branch, by `weight` %
    (the share of the other goal's roll-up this goal's progress stands for)."""

    from_goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="contributions")
    to_goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="contributions_in")
    weight = models.DecimalField(max_digits=5, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = History()

    class Meta:
        ordering = ["from_goal_id", "to_goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["from_goal", "to_goal"], name="contribution_once"),
            models.CheckConstraint(
                condition=~models.Q(from_goal=models.F("to_goal")), name="contribution_not_self"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0, weight__lte=100), name="contribution_weight_range"
            ),
        ]

    def __str__(self):
        return f"{self.from_goal} → {self.to_goal} ({self.weight} %)"


class PilotGoal(models.Model):
    """A pilot names a goal it serves (set by the pilot's sponsor)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="pilot_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    history = History()

    class Meta:
        ordering = ["pilot_id", "goal_id"]
        constraints = [models.UniqueConstraint(fields=["pilot", "goal"], name="pilot_goal_once")]

    def __str__(self):
        return f"{self.pilot} serves {self.goal}"

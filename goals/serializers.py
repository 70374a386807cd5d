"""Data shapes of goals in the API: the goal with its place in the tree, its links and its
progress; one input for writes and one for a "contributes to" link. No side effects here."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import StrictCharField
from core.filters import MAX_ID
from goals.models import Goal, GoalLevel
from metrics.models import MetricDefinition
from people.models import OrgUnit, Person

VALUE_BOUND = Decimal("1e15")  # fits max_digits=20, decimal_places=4


class ProgressSerializer(serializers.Serializer):
    percent = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    source = serializers.ChoiceField(
        choices=["measured", "rolled_up"],
        allow_null=True,
        help_text="measured: from the target metric's observations; rolled_up: from sub-goals "
        "and contributing goals; null: nothing to go on yet.",
    )
    measured_percent = serializers.DecimalField(
        source="measured", max_digits=12, decimal_places=1, allow_null=True
    )
    rolled_up_percent = serializers.DecimalField(
        source="rolled_up", max_digits=12, decimal_places=1, allow_null=True
    )
    current_value = serializers.DecimalField(
        source="measurement.value", max_digits=24, decimal_places=4, allow_null=True, default=None
    )
    period_start = serializers.DateField(
        source="measurement.period_start", allow_null=True, default=None
    )
    period_end = serializers.DateField(
        source="measurement.period_end", allow_null=True, default=None
    )
    observations = serializers.IntegerField(
        source="measurement.observations", allow_null=True, default=None
    )


class ContributionSerializer(serializers.Serializer):
    goal = serializers.IntegerField(source="to_goal_id")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)


class GoalSerializer(serializers.ModelSerializer):
    org_unit_external_id = serializers.CharField(source="org_unit.external_id")
    owner_external_id = serializers.CharField(source="owner.external_id")
    metric = serializers.CharField(source="metric.key")
    depth = serializers.IntegerField(source="tree_depth", help_text="0 for a root goal.")
    path = serializers.SerializerMethodField(help_text="Goal ids from the root down to this one.")
    children = serializers.SerializerMethodField(help_text="Ids of the direct sub-goals.")
    contributes_to = ContributionSerializer(source="contributions", many=True)
    pilots = serializers.SerializerMethodField(help_text="Ids of the pilots serving this goal.")
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "title",
            "description",
            "level",
            "parent",
            "depth",
            "path",
            "children",
            "org_unit_external_id",
            "owner_external_id",
            "pilot",
            "period_start",
            "period_end",
            "metric",
            "start_value",
            "target_value",
            "contributes_to",
            "pilots",
            "progress",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_path(self, goal) -> list[int]:
        return [int(pk) for pk in goal.tree_path]

    def get_children(self, goal) -> list[int]:
        return sorted(child.pk for child in goal.children.all())

    def get_pilots(self, goal) -> list[int]:
        return [pilot.pk for pilot in goal.pilots.all()]

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, goal) -> dict:
        return ProgressSerializer(self.context["progress"][goal.pk]).data


class GoalWriteSerializer(serializers.Serializer):
    """What a manager of the goal's org unit may set. Unknown keys are ignored."""

    title = StrictCharField(max_length=200)
    description = StrictCharField(max_length=5000, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=GoalLevel.choices)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Goal.objects.all(), required=False, allow_null=True
    )
    org_unit_external_id = serializers.SlugRelatedField(
        source="org_unit",
        slug_field="external_id",
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        help_text="Required except for pilot goals, which default to the pilot's unit.",
    )
    pilot = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="Only for pilot goals: the pilot's id.",
    )
    owner_external_id = serializers.SlugRelatedField(
        source="owner", slug_field="external_id", queryset=Person.objects.all()
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    metric = serializers.SlugRelatedField(slug_field="key", queryset=MetricDefinition.objects.all())
    start_value = serializers.DecimalField(
        max_digits=20, decimal_places=4, min_value=-VALUE_BOUND, max_value=VALUE_BOUND
    )
    target_value = serializers.DecimalField(
        max_digits=20, decimal_places=4, min_value=-VALUE_BOUND, max_value=VALUE_BOUND
    )


class ContributionWriteSerializer(serializers.Serializer):
    to_goal = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    weight = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal(100)
    )

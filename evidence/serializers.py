"""Shapes of the effect endpoint (data only: `evidence.effects` computes)."""

from rest_framework import serializers

from evidence.effects import INTERVAL, METHOD, P_VALUE_METHODS, REASONS


class MetricEffectSerializer(serializers.Serializer):
    metric = serializers.CharField(source="metric.key", help_text="The metric definition's key.")
    name = serializers.CharField(source="metric.name")
    unit = serializers.CharField(source="metric.unit")
    kind = serializers.CharField(source="metric.kind")
    direction = serializers.CharField(source="metric.direction")
    estimate = serializers.FloatField(
        allow_null=True,
        help_text="Pilot groups' mean change (post-period mean − pre-period mean of each "
        "workgroup's weekly values) minus the comparison groups' mean change, in the metric's "
        "unit per workgroup-week. Null when not estimable.",
    )
    ci_low = serializers.FloatField(allow_null=True, help_text="Welch 95 % interval, low end.")
    ci_high = serializers.FloatField(allow_null=True, help_text="Welch 95 % interval, high end.")
    p_value = serializers.FloatField(
        allow_null=True, help_text="Two-sided randomisation p-value (relabelling the groups)."
    )
    treated_groups = serializers.IntegerField(
        help_text="Pilot workgroups with data before and after."
    )
    comparison_groups = serializers.IntegerField(
        help_text="Comparison workgroups with data before and after."
    )
    pre_weeks = serializers.IntegerField(help_text="Pre-period weeks with data on both sides.")
    post_weeks = serializers.IntegerField(help_text="Post-period weeks with data on both sides.")
    method = serializers.ChoiceField(choices=[METHOD])
    interval = serializers.ChoiceField(choices=[INTERVAL])
    p_value_method = serializers.ChoiceField(
        choices=list(P_VALUE_METHODS.values()), allow_null=True
    )
    money_per_group_week = serializers.DecimalField(
        max_digits=20, decimal_places=2, allow_null=True,
        help_text="The estimate in money (summed hours at the loaded hourly rate, or summed "
        "currency); null where the metric does not convert.",
    )  # fmt: skip
    not_estimable = serializers.ChoiceField(
        choices=list(REASONS), allow_null=True, help_text="Why there is no estimate, or null."
    )
    not_estimable_message = serializers.CharField(allow_null=True)


class PilotEffectSerializer(serializers.Serializer):
    pilot = serializers.IntegerField()
    comparison_version = serializers.IntegerField(allow_null=True)
    comparison_frozen_at = serializers.DateTimeField(allow_null=True)
    comparison_workgroups = serializers.ListField(child=serializers.IntegerField())
    pre_period_start = serializers.DateField(allow_null=True)
    pre_period_end = serializers.DateField(allow_null=True)
    currency = serializers.CharField()
    metrics = MetricEffectSerializer(many=True)
    not_estimable = serializers.ChoiceField(choices=list(REASONS), allow_null=True)
    not_estimable_message = serializers.CharField(allow_null=True)

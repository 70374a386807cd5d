"""Data shapes of the portfolio API: the value-vs-efficiency series and the summary."""

from rest_framework import serializers

MONEY = {"max_digits": 20, "decimal_places": 2}
DATES = ("period_start", "period_end")


class PeriodSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    value = serializers.DecimalField(**MONEY, help_text="Value created, money (hours converted).")
    efficiency = serializers.DecimalField(**MONEY, help_text="Efficiency gains, money.")
    value_money = serializers.DecimalField(**MONEY, help_text="Value recorded in money.")
    value_hours = serializers.DecimalField(**MONEY, help_text="Value recorded in hours.")
    efficiency_money = serializers.DecimalField(**MONEY, help_text="Efficiency in money.")
    efficiency_hours = serializers.DecimalField(**MONEY, help_text="Efficiency in hours.")
    cumulative_value = serializers.DecimalField(**MONEY)
    cumulative_efficiency = serializers.DecimalField(**MONEY)

    def to_representation(self, period: dict) -> dict:
        """The strings the fields above would give (ISO dates; amounts to the cent, which
        `value_series` already rounds to), written directly: a field call per amount was
        most of the endpoint's time for a pilot with years of months."""
        return {
            name: period[name].isoformat() if name in DATES else f"{period[name]:.2f}"
            for name in self.fields
        }


class ValueVsEfficiencySerializer(serializers.Serializer):
    pilot = serializers.IntegerField()
    name = serializers.CharField()
    approach = serializers.CharField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)
    patience_horizon_weeks = serializers.IntegerField()
    horizon_date = serializers.DateField(allow_null=True)
    currency = serializers.CharField()
    hourly_rate = serializers.DecimalField(max_digits=10, decimal_places=2)
    refreshed_at = serializers.DateTimeField(allow_null=True, help_text="Rollups computed at.")
    periods = PeriodSerializer(many=True)


class TotalsSerializer(serializers.Serializer):
    pilots = serializers.IntegerField()
    people = serializers.IntegerField()
    value = serializers.DecimalField(**MONEY)
    efficiency = serializers.DecimalField(**MONEY)
    value_per_person = serializers.DecimalField(**MONEY, allow_null=True)
    efficiency_per_person = serializers.DecimalField(**MONEY, allow_null=True)


class ApproachTotalsSerializer(TotalsSerializer):
    approach = serializers.CharField()


class PilotTotalsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    approach = serializers.CharField()
    status = serializers.CharField()
    people = serializers.IntegerField()
    value = serializers.DecimalField(**MONEY)
    efficiency = serializers.DecimalField(**MONEY)
    value_money = serializers.DecimalField(**MONEY)
    value_hours = serializers.DecimalField(**MONEY)
    efficiency_money = serializers.DecimalField(**MONEY)
    efficiency_hours = serializers.DecimalField(**MONEY)
    cycles_completed = serializers.IntegerField()
    opportunities_found = serializers.IntegerField()
    opportunities_addressed = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    currency = serializers.CharField()
    hourly_rate = serializers.DecimalField(max_digits=10, decimal_places=2)
    refreshed_at = serializers.DateTimeField(allow_null=True)
    approaches = ApproachTotalsSerializer(many=True)
    pilots = PilotTotalsSerializer(many=True)

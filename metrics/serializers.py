"""Data shapes of the metrics API. Field names HR systems rely on are the contract's."""

from django.db import models
from django.utils.functional import cached_property
from rest_framework import serializers

from core.api import StrictBooleanField, StrictCharField, StrictSlugField
from metrics.models import Baseline, MetricDefinition, Observation


class MetricDefinitionSerializer(serializers.ModelSerializer):
    # Strings must arrive as JSON strings: a number sent as a name is a client bug. The
    # model's own validators still apply.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
    }
    active = StrictBooleanField(required=False)

    class Meta:
        model = MetricDefinition
        fields = [
            "key",
            "name",
            "unit",
            "kind",
            "direction",
            "aggregation",
            "description",
            "active",
        ]


class ObservationSerializer(serializers.ModelSerializer):
    metric = serializers.CharField(source="metric_key", read_only=True)
    subject_id = serializers.SerializerMethodField(
        help_text="A person's external_id, or the workgroup's or pilot's id."
    )
    api_client = serializers.CharField(
        source="api_client_name",
        read_only=True,
        allow_null=True,
        help_text="The API client that wrote this row (null when a person or import did).",
    )
    import_job = serializers.IntegerField(
        source="import_job_id",
        read_only=True,
        allow_null=True,
        help_text="The CSV import this row came from, if any.",
    )

    class Meta:
        model = Observation
        fields = [
            "id",
            "metric",
            "subject_type",
            "subject_id",
            "period_start",
            "period_end",
            "value",
            "source",
            "recorded_at",
            "is_current",
            "superseded_at",
            "supersedes",
            "api_client",
            "import_job",
        ]

    def get_subject_id(self, obs) -> str:
        if obs.subject_type == "person":
            return obs.person_external_id
        return str(obs.subject_id)

    def to_representation(self, obs):
        """The declared fields' output, built in one step: DRF would look up and format each
        of the 14 fields through its own field object, 50 rows a page (40 % of the list's
        time). The formatting that is not a plain attribute (decimal, timestamps) still goes
        through the declared fields; a test compares this with DRF's generic output."""
        formats = self._formats
        superseded_at = obs.superseded_at
        return {
            "id": obs.pk,
            "metric": obs.metric_key,
            "subject_type": obs.subject_type,
            "subject_id": self.get_subject_id(obs),
            "period_start": obs.period_start.isoformat(),
            "period_end": obs.period_end.isoformat(),
            "value": formats["value"].to_representation(obs.value),
            "source": obs.source,
            "recorded_at": formats["recorded_at"].to_representation(obs.recorded_at),
            "is_current": obs.is_current,
            "superseded_at": (
                None
                if superseded_at is None
                else formats["superseded_at"].to_representation(superseded_at)
            ),
            "supersedes": obs.supersedes_id,
            "api_client": obs.api_client_name,
            "import_job": obs.import_job_id,
        }

    @cached_property
    def _formats(self) -> dict:
        return {name: self.fields[name] for name in ("value", "recorded_at", "superseded_at")}


class ObservationBulkSerializer(serializers.Serializer):
    rows = serializers.ListField(child=serializers.DictField(), max_length=10_000)


class BaselineSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.external_id", read_only=True)
    metric = serializers.CharField(source="metric.key", read_only=True)

    class Meta:
        model = Baseline
        fields = [
            "id",
            "person",
            "pilot",
            "metric",
            "value",
            "observation_count",
            "window_start",
            "window_end",
            "frozen_at",
            "version",
            "reason",
            "metric_direction",
            "metric_aggregation",
            "metric_unit",
            "metric_kind",
        ]


class ProtectedMetricSerializer(serializers.Serializer):
    metric = serializers.CharField(source="metric.key")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    actual = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    baseline = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    protected_value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    protection_applied = serializers.BooleanField()
    pilot = serializers.IntegerField(source="pilot.pk", allow_null=True, default=None)


class PeriodSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()

    def validate(self, attrs):
        if attrs["period_end"] < attrs["period_start"]:
            raise serializers.ValidationError({"period_end": ["Must be on or after period_start."]})
        return attrs

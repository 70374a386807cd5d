"""Data shapes of cycles and opportunities in the API: outputs, and one input per action.
No side effects here; the services decide."""

from rest_framework import serializers

from coaching.models import (
    ActionKind,
    Cycle,
    CycleAction,
    EffectUnit,
    Opportunity,
    Stage,
)
from coaching.services import DONE_AT_FIELD
from core.filters import MAX_ID
from people.models import Person


class CycleActionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(
        source="owner.external_id", allow_null=True, read_only=True, default=None
    )

    class Meta:
        model = CycleAction
        fields = ["id", "description", "kind", "owner", "due_date", "done", "created_at"]
        read_only_fields = fields


class CycleSerializer(serializers.ModelSerializer):
    pilot = serializers.IntegerField(source="workgroup.pilot_id", read_only=True)
    starting_point = serializers.CharField(read_only=True)
    observation_ids = serializers.SerializerMethodField()
    actions = CycleActionSerializer(many=True, read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "id",
            "workgroup",
            "pilot",
            "number",
            "stage",
            "previous",
            "starting_point",
            "started_at",
            "data_sought",
            "context",
            "observation_ids",
            "data_done_at",
            "actions",
            "action_done_at",
            "learned",
            "surprised",
            "confidence",
            "reflection_done_at",
            "changes_next",
            "adaptation_done_at",
            "abandoned_at",
            "abandon_reason",
        ]
        read_only_fields = fields

    def get_observation_ids(self, cycle) -> list[int]:
        return sorted(o.pk for o in cycle.observations.all())


class CycleStartSerializer(serializers.Serializer):
    workgroup = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class CycleDataSerializer(serializers.Serializer):
    data_sought = serializers.CharField(max_length=5000)
    context = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    observation_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=200,
    )


class CycleActionCreateSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=500)
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    owner = serializers.SlugRelatedField(
        slug_field="external_id",
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The owner's external_id: the supervisor or a member of the workgroup.",
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class CycleReflectionSerializer(serializers.Serializer):
    learned = serializers.CharField(max_length=5000)
    surprised = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    confidence = serializers.IntegerField(min_value=0, max_value=10)


class CycleAdaptationSerializer(serializers.Serializer):
    changes_next = serializers.CharField(max_length=5000)


class CompleteStageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=list(DONE_AT_FIELD),
        required=False,
        help_text="The stage you mean to close; a mismatch is a 409, so a replayed request "
        "cannot close the next stage.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0, "required": False}


class OpportunitySerializer(serializers.ModelSerializer):
    pilot = serializers.IntegerField(source="workgroup.pilot_id", read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "workgroup",
            "pilot",
            "found_in",
            "addressed_in",
            "title",
            "description",
            "status",
            "estimated_value",
            "realised_value",
            "efficiency_unit",
            "estimated_efficiency",
            "realised_efficiency",
            "found_at",
            "addressed_at",
            "dropped_at",
            "drop_reason",
        ]
        read_only_fields = fields


class OpportunityCreateSerializer(serializers.Serializer):
    cycle = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The open cycle that found it."
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    estimated_value = serializers.DecimalField(allow_null=True, default=None, **MONEY)
    estimated_efficiency = serializers.DecimalField(allow_null=True, default=None, **MONEY)
    efficiency_unit = serializers.ChoiceField(choices=EffectUnit.choices, default=EffectUnit.MONEY)


class OpportunityAddressSerializer(serializers.Serializer):
    realised_value = serializers.DecimalField(allow_null=True, default=None, **MONEY)
    realised_efficiency = serializers.DecimalField(allow_null=True, default=None, **MONEY)
    cycle = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text="The cycle that addressed it; defaults to the workgroup's open cycle.",
    )


STAGES = Stage

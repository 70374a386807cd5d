"""Data shapes of pilots and workgroups in the API: outputs, and one input per action.
No side effects here; the services decide. People and org units are named by external_id."""

from rest_framework import serializers

from core.filters import MAX_ID
from people.models import OrgUnit, Person
from pilots.models import Decision, Pilot, Workgroup
from pilots.selfcontainment import assess_workgroup
from pilots.services import EDITABLE_FIELDS


class WorkgroupSerializer(serializers.ModelSerializer):
    supervisor = serializers.CharField(source="supervisor.external_id", read_only=True)
    members = serializers.SerializerMethodField()
    charter_signed = serializers.SerializerMethodField()
    charter_complete = serializers.SerializerMethodField()
    self_containment_score = serializers.SerializerMethodField()

    class Meta:
        model = Workgroup
        fields = [
            "id",
            "pilot",
            "name",
            "supervisor",
            "members",
            "cadence_days",
            "charter_signed",
            "charter_complete",
            "self_containment_score",
        ]
        read_only_fields = fields

    def get_members(self, workgroup) -> list[str]:
        return [m.person.external_id for m in workgroup.memberships.all()]

    def get_charter_signed(self, workgroup) -> bool:
        charter = getattr(workgroup, "charter", None)
        return charter is not None and charter.signed_at is not None

    def get_charter_complete(self, workgroup) -> bool:
        charter = getattr(workgroup, "charter", None)
        return charter is not None and charter.is_complete

    def get_self_containment_score(self, workgroup) -> int:
        return assess_workgroup(workgroup).score


class PilotSerializer(serializers.ModelSerializer):
    sponsor = serializers.CharField(source="sponsor.external_id", read_only=True)
    org_unit = serializers.CharField(
        source="org_unit.external_id", read_only=True, allow_null=True, default=None
    )
    workgroups = WorkgroupSerializer(many=True, read_only=True)

    class Meta:
        model = Pilot
        fields = [
            "id",
            "name",
            "approach",
            "vision",
            "pain_point",
            "demonstration_project",
            "sponsor",
            "org_unit",
            "planned_start",
            "review_date",
            "patience_horizon_weeks",
            "baseline_window_weeks",
            "grace_period_days",
            "status",
            "started_at",
            "ended_at",
            "premature_stop",
            "workgroups",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PilotWriteSerializer(serializers.ModelSerializer):
    """What a sponsor may set. Status, timestamps and (after creation) the sponsor are never
    read from input: unknown keys are ignored, so they cannot be mass-assigned."""

    org_unit = serializers.SlugRelatedField(
        slug_field="external_id", queryset=OrgUnit.objects.all(), required=False, allow_null=True
    )
    sponsor = serializers.SlugRelatedField(
        slug_field="external_id",
        queryset=Person.objects.all(),
        required=False,
        help_text="Only on create, and only a portfolio leader may name someone else.",
    )
    # The number bounds and text lengths come from the model fields, as the forms' do.

    class Meta:
        model = Pilot
        fields = [*EDITABLE_FIELDS, "sponsor"]


class PilotMoveSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class PilotStartSerializer(PilotMoveSerializer):
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        help_text="Start although some supervisors lack baseline data, saying why.",
    )


class PilotDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    lessons_learned = serializers.CharField(max_length=5000)
    capabilities_built = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, default=""
    )
    spread_to = serializers.SlugRelatedField(
        slug_field="external_id",
        queryset=OrgUnit.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text="Org unit external_ids, for a scale decision.",
    )


CADENCE = Workgroup._meta.get_field("cadence_days")


class WorkgroupCreateSerializer(serializers.Serializer):
    pilot = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    name = serializers.CharField(max_length=200)
    supervisor = serializers.SlugRelatedField(
        slug_field="external_id", queryset=Person.objects.all()
    )
    cadence_days = serializers.IntegerField(
        min_value=CADENCE.min_value, max_value=CADENCE.max_value, default=CADENCE.default
    )

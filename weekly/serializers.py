"""Data shapes of weekly splits in the API; the person is named by external_id."""

from rest_framework import serializers

from core.api import StrictCharField
from weekly.models import WeeklySplit
from weekly.services import NOTE_MAX, editable_until


class WeeklySplitSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.external_id")
    detail_percent = serializers.IntegerField()
    editable_until = serializers.SerializerMethodField(
        help_text="The last day (Sunday of the following week) the entry may change."
    )

    class Meta:
        model = WeeklySplit
        fields = [
            "id",
            "person",
            "week",
            "strategic_percent",
            "detail_percent",
            "note",
            "editable_until",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_editable_until(self, entry) -> str:
        return editable_until(entry.week).isoformat()


class WeeklySplitWriteSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="The Monday of the week.")
    strategic_percent = serializers.IntegerField(min_value=0, max_value=100)
    note = StrictCharField(required=False, allow_blank=True, max_length=NOTE_MAX, default="")


class WeeklySplitPatchSerializer(serializers.Serializer):
    strategic_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    note = StrictCharField(required=False, allow_blank=True, max_length=NOTE_MAX)

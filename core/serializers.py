"""Data shapes shared by several apps' APIs: audit history entries."""

from rest_framework import serializers


class HistoryActorSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        source="actor_type", choices=["user", "api_client", "system"], read_only=True
    )
    name = serializers.CharField(source="actor", read_only=True)


class HistorySubjectSerializer(serializers.Serializer):
    type = serializers.CharField(source="subject_type", read_only=True)
    id = serializers.IntegerField(source="subject_id", read_only=True)
    name = serializers.CharField(source="subject", read_only=True)


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    old = serializers.CharField(source="old", allow_null=True, read_only=True)
    new = serializers.CharField(source="new", allow_null=True, read_only=True)

    def get_fields(self):
        # The wire says "from" and "to"; "from" is a Python keyword, so they are renamed here.
        fields = super().get_fields()
        return {
            "field": fields["field"],
            "label": fields["label"],
            "from": fields["old"],
            "to": fields["new"],
        }


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField(read_only=True)
    actor = HistoryActorSerializer(source="*", read_only=True)
    subject = HistorySubjectSerializer(source="*", read_only=True)
    action = serializers.CharField(
        read_only=True,
        help_text=(
            "created, changed, deleted, frozen or re-baselined; for a role, granted or withdrawn."
        ),
    )
    changes = HistoryChangeSerializer(many=True, read_only=True)
    reason = serializers.CharField(read_only=True)
    summary = serializers.CharField(
        source="headline",
        read_only=True,
        help_text='The entry as one sentence a person reads, e.g. "Carol signed the charter of '
        'Triage" (names and dates for people; the fields above keep the plain values).',
    )


class HistoryPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = HistoryEntrySerializer(many=True)

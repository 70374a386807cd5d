"""Data shapes of people and org units in the API: the contract's field names, nothing more."""

from django.utils.functional import cached_property
from rest_framework import serializers

from core.api import StrictBooleanField
from people.models import OrgUnit, OrgUnitKind, Person

BULK_MAX_ROWS = 10_000


class OrgUnitSerializer(serializers.ModelSerializer):
    parent_external_id = serializers.CharField(
        source="parent.external_id", allow_null=True, read_only=True, default=None
    )

    class Meta:
        model = OrgUnit
        fields = ["external_id", "name", "parent_external_id", "kind", "active", "updated_at"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    # A plain string: HR systems may hold people without an email (""), which is not an email.
    email = serializers.CharField(read_only=True)
    org_unit_external_id = serializers.CharField(
        source="org_unit.external_id", allow_null=True, read_only=True, default=None
    )
    manager_external_id = serializers.CharField(
        source="manager.external_id", allow_null=True, read_only=True, default=None
    )

    class Meta:
        model = Person
        fields = [
            "external_id",
            "full_name",
            "email",
            "org_unit_external_id",
            "manager_external_id",
            "active",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, person):
        """Others' e-mail, manager and org unit are null for a viewer who may not read them
        (people.permissions); the field names stay the contract's."""
        from hrapi.permissions import client_of
        from people.permissions import person_fields_for

        data = self.declared_representation(person)
        request = self.context.get("request")
        if request is None:
            return data
        return person_fields_for(data, person, user=request.user, client=client_of(request))

    def declared_representation(self, person) -> dict:
        """What the declared fields write, in one step instead of a field call per value
        (lists are 50 people a page); a test compares it with DRF's generic output."""
        org_unit, manager = person.org_unit, person.manager
        return {
            "external_id": person.external_id,
            "full_name": person.full_name,
            "email": person.email,
            "org_unit_external_id": None if org_unit is None else org_unit.external_id,
            "manager_external_id": None if manager is None else manager.external_id,
            "active": person.active,
            "updated_at": self._updated_at.to_representation(person.updated_at),
        }

    @cached_property
    def _updated_at(self):
        return self.fields["updated_at"]


class OrgUnitRowSerializer(serializers.Serializer):
    """One org unit as HR sends it (a create, an update or a bulk row). Only shape checks here:
    references and cycles are the service's job."""

    external_id = serializers.CharField(max_length=64)
    # Required for a new org unit (the service checks); an update may leave it out.
    name = serializers.CharField(max_length=200, required=False)
    parent_external_id = serializers.CharField(max_length=64, allow_null=True, required=False)
    kind = serializers.ChoiceField(choices=OrgUnitKind.choices, required=False)
    active = StrictBooleanField(required=False)


class PersonRowSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=64)
    # Required for a new person (the service checks); an update may leave it out.
    full_name = serializers.CharField(max_length=200, required=False)
    email = serializers.EmailField(allow_blank=True, required=False, max_length=254)
    org_unit_external_id = serializers.CharField(max_length=64, allow_null=True, required=False)
    manager_external_id = serializers.CharField(max_length=64, allow_null=True, required=False)
    active = StrictBooleanField(required=False)


class BulkResultSerializer(serializers.Serializer):
    """The answer of every bulk endpoint: how many rows were created, updated, unchanged."""

    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class OrgUnitCreateSerializer(OrgUnitRowSerializer):
    name = serializers.CharField(max_length=200)


class PersonCreateSerializer(PersonRowSerializer):
    full_name = serializers.CharField(max_length=200)


class OrgUnitUpdateSerializer(OrgUnitCreateSerializer):
    """PUT and PATCH: the key is in the URL; an external_id in the body is ignored."""

    external_id = None


class PersonUpdateSerializer(PersonCreateSerializer):
    """PUT and PATCH: the key is in the URL; an external_id in the body is ignored."""

    external_id = None


class OrgUnitBulkSerializer(serializers.Serializer):
    rows = serializers.ListField(
        child=OrgUnitRowSerializer(), allow_empty=False, max_length=BULK_MAX_ROWS
    )


class PersonBulkSerializer(serializers.Serializer):
    rows = serializers.ListField(
        child=PersonRowSerializer(), allow_empty=False, max_length=BULK_MAX_ROWS
    )

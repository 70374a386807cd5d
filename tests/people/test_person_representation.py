"""The people list writes each person in one step (PersonSerializer.declared_representation);
what it writes must be what DRF's declared fields would write."""

from rest_framework import serializers

from people.models import Person
from people.serializers import PersonSerializer


def test_each_listed_person_is_what_the_declared_fields_would_write(org, client_with_scopes):
    boss = Person.objects.create(external_id="P-BOSS", full_name="Zoë Ångström", org_unit=org)
    Person.objects.create(external_id="P-NOUNIT", full_name="No Unit", email="", manager=boss)
    Person.objects.create(
        external_id="p-lower", full_name="Lower Case", email="l@example.com", active=False
    )
    hris = client_with_scopes("people:read")
    listed = hris.get("/api/v1/people/").json()["results"]
    assert {p["external_id"] for p in listed} == {"P-BOSS", "P-NOUNIT", "p-lower"}
    serializer = PersonSerializer()
    for row in listed:
        person = Person.objects.select_related("org_unit", "manager").get(
            external_id=row["external_id"]
        )
        assert row == serializers.ModelSerializer.to_representation(serializer, person)

"""People and org units: keys, the tree, and what the database refuses."""

import pytest
from django.db import IntegrityError

from people.models import OrgUnit, Person

pytestmark = pytest.mark.django_db


def test_external_ids_are_unique(org):
    Person.objects.create(external_id="E1", full_name="One", org_unit=org)
    with pytest.raises(IntegrityError):
        Person.objects.create(external_id="E1", full_name="Again")


def test_a_person_cannot_manage_themselves(org):
    person = Person.objects.create(external_id="E1", full_name="One")
    person.manager = person
    with pytest.raises(IntegrityError):
        person.save()


def test_org_units_form_a_tree(org):
    assert org.parent.children.get() == org
    assert OrgUnit.objects.filter(parent__isnull=True).count() == 1


def test_deleting_an_org_unit_keeps_its_people(org):
    person = Person.objects.create(external_id="E1", full_name="One", org_unit=org)
    org.delete()
    person.refresh_from_db()
    assert person.org_unit is None

"""Filters for the people and org unit lists (API and pages share them)."""

import django_filters

from people.models import OrgUnit, Person


class OrgUnitFilter(django_filters.FilterSet):
    parent_external_id = django_filters.CharFilter(field_name="parent__external_id")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = OrgUnit
        fields = ["active", "kind", "parent_external_id", "updated_since"]


class PersonFilter(django_filters.FilterSet):
    org_unit_external_id = django_filters.CharFilter(field_name="org_unit__external_id")
    manager_external_id = django_filters.CharFilter(field_name="manager__external_id")
    email = django_filters.CharFilter(field_name="email", lookup_expr="iexact")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Person
        fields = ["active", "org_unit_external_id", "manager_external_id", "email", "updated_since"]

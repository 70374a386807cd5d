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
    # External ids are unique ignoring case, so a lookup by one finds it however it is typed.
    external_id = django_filters.CharFilter(field_name="external_id", lookup_expr="iexact")
    org_unit_external_id = django_filters.CharFilter(field_name="org_unit__external_id")
    # What integrators type first; the same filter, by the org unit's external_id.
    org_unit = django_filters.CharFilter(field_name="org_unit__external_id")
    manager_external_id = django_filters.CharFilter(field_name="manager__external_id")
    email = django_filters.CharFilter(field_name="email", lookup_expr="iexact")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Person
        fields = [
            "external_id",
            "active",
            "org_unit_external_id",
            "org_unit",
            "manager_external_id",
            "email",
            "updated_since",
        ]

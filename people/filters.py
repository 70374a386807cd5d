"""Filters for the people and org unit lists (API and pages share them; the people page adds a
search box and choices a person picks from)."""

import django_filters

from people import search
from people.forms import OrgUnitChoiceField
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


class OrgUnitFilterField(django_filters.ModelChoiceFilter):
    field_class = OrgUnitChoiceField


class PersonPageFilter(django_filters.FilterSet):
    """The /people/ page's filters: what is typed (name, external id, e-mail), an org unit
    from a list, active or not."""

    q = django_filters.CharFilter(method="_search", label="Name, external id or e-mail")
    org_unit = OrgUnitFilterField(
        queryset=OrgUnit.objects.all(),
        to_field_name="external_id",
        label="Org unit",
        empty_label="Any org unit",
    )
    active = django_filters.ChoiceFilter(
        choices=[("true", "Active"), ("false", "Inactive")],
        method="_active",
        empty_label="Active or not",
        label="Status",
    )

    class Meta:
        model = Person
        fields = ["q", "org_unit", "active"]

    def _search(self, queryset, name, value):
        return search.matching(queryset, value)

    def _active(self, queryset, name, value):
        return queryset.filter(active=value == "true")

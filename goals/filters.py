"""One FilterSet for goals, shared by the tree page and the API."""

import django_filters

from core.filters import IdFilter
from core.widgets import DateInput, OnePassSelect
from goals.models import Goal, GoalLevel
from goals.permissions import unit_subtrees
from people.models import OrgUnit


class GoalFilter(django_filters.FilterSet):
    org_unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.order_by("name", "id"),
        to_field_name="external_id",
        method="in_unit",
        empty_label="Any org unit",
        help_text="An org unit's external_id: its goals and those of every unit below it.",
        widget=OnePassSelect,
    )
    period_from = django_filters.DateFilter(
        method="ends_after",
        label="Period from",
        help_text="Goals whose period ends on or after this date.",
        widget=DateInput(),
    )
    period_to = django_filters.DateFilter(
        method="starts_before",
        label="Period to",
        help_text="Goals whose period starts on or before this date.",
        widget=DateInput(),
    )
    level = django_filters.ChoiceFilter(choices=GoalLevel.choices, empty_label="Any level")
    parent = IdFilter(field_name="parent_id", help_text="Sub-goals of this goal id.")
    root = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", help_text="true: only goals without parent."
    )
    pilot = IdFilter(field_name="pilots", help_text="Goals the pilot with this id serves.")
    owner = django_filters.CharFilter(
        field_name="owner__external_id", help_text="The owner's external_id."
    )

    class Meta:
        model = Goal
        fields = ["org_unit", "period_from", "period_to", "level", "parent", "root", "pilot"]

    def in_unit(self, queryset, name, value):
        return queryset.filter(org_unit_id__in=unit_subtrees({value.pk}))

    def ends_after(self, queryset, name, value):
        return queryset.overlapping(start=value)

    def starts_before(self, queryset, name, value):
        return queryset.overlapping(end=value)

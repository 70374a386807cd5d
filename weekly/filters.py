"""The FilterSet of weekly splits in the API."""

import django_filters

from weekly.models import WeeklySplit


class WeeklySplitFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(
        field_name="person__external_id",
        lookup_expr="iexact",
        help_text="The person's external_id.",
    )
    week = django_filters.DateFilter(help_text="One week, by its Monday.")
    week_from = django_filters.DateFilter(field_name="week", lookup_expr="gte")
    week_to = django_filters.DateFilter(field_name="week", lookup_expr="lte")

    class Meta:
        model = WeeklySplit
        fields = ["person", "week", "week_from", "week_to"]

"""The dashboard's filters: approach, status, sponsor and org unit, with choices limited to
what the viewer may see (a sponsor never learns other sponsors' names from the form)."""

import django_filters

from core.widgets import OnePassSelect
from people.models import OrgUnit, Person
from pilots.models import Approach, Pilot, PilotStatus


class PilotFilter(django_filters.FilterSet):
    approach = django_filters.ChoiceFilter(choices=Approach.choices, empty_label="Any approach")
    status = django_filters.ChoiceFilter(choices=PilotStatus.choices, empty_label="Any status")
    sponsor = django_filters.ModelChoiceFilter(
        queryset=Person.objects.none(), empty_label="Any sponsor", widget=OnePassSelect
    )
    org_unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.none(),
        empty_label="Any org unit",
        label="Org unit",
        widget=OnePassSelect,
    )

    class Meta:
        model = Pilot
        fields = ["approach", "status", "sponsor", "org_unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible = self.queryset.values("pk")
        self.filters["sponsor"].queryset = (
            Person.objects.filter(sponsored_pilots__in=visible).distinct().order_by("full_name")
        )
        self.filters["org_unit"].queryset = (
            OrgUnit.objects.filter(pilots__in=visible).distinct().order_by("name")
        )

"""Filters for the cycle and opportunity lists of the API."""

import django_filters
from django import forms

from coaching.models import Cycle, Opportunity, OpportunityStatus, Stage

# The largest primary key a database column holds: larger ids are a 400, not an overflow.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class CycleFilter(django_filters.FilterSet):
    workgroup = IdFilter(field_name="workgroup_id")
    pilot = IdFilter(field_name="workgroup__pilot_id")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)

    class Meta:
        model = Cycle
        fields = ["workgroup", "pilot", "stage"]


class OpportunityFilter(django_filters.FilterSet):
    workgroup = IdFilter(field_name="workgroup_id")
    pilot = IdFilter(field_name="workgroup__pilot_id")
    status = django_filters.ChoiceFilter(choices=OpportunityStatus.choices)
    found_in = IdFilter(field_name="found_in_id")

    class Meta:
        model = Opportunity
        fields = ["workgroup", "pilot", "status", "found_in"]

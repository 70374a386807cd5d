"""Filters for the cycle and opportunity lists of the API."""

import django_filters

from coaching.models import Cycle, Opportunity, OpportunityStatus, Stage
from core.filters import IdFilter


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

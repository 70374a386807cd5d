"""Filters for the observations and baselines lists (API and pages share them)."""

import django_filters
from django.db.models import Q

from metrics.models import Baseline, Observation, SubjectType
from people.models import Person


class ObservationFilter(django_filters.FilterSet):
    metric = django_filters.CharFilter(field_name="metric__key")
    subject_type = django_filters.ChoiceFilter(choices=SubjectType.choices)
    subject_id = django_filters.CharFilter(
        method="filter_subject_id",
        help_text="A person's external_id, or a workgroup's or pilot's id.",
    )
    period_start = django_filters.DateFromToRangeFilter(
        help_text="Range: period_start_after / period_start_before (inclusive)."
    )
    period_end = django_filters.DateFromToRangeFilter(
        help_text="Range: period_end_after / period_end_before (inclusive)."
    )
    include_superseded = django_filters.BooleanFilter(
        method="filter_include_superseded",
        help_text="Also list corrected (superseded) rows. By default only current rows.",
    )

    class Meta:
        model = Observation
        fields = ["metric", "subject_type", "subject_id", "source"]

    def filter_subject_id(self, queryset, name, value):
        person = Person.objects.filter(external_id=value).values("pk")
        as_person = Q(subject_type=SubjectType.PERSON, subject_id__in=person)
        if not value.isdigit() or len(value) > 18:
            return queryset.filter(as_person)
        return queryset.filter(
            as_person | (~Q(subject_type=SubjectType.PERSON) & Q(subject_id=value))
        )

    def filter_include_superseded(self, queryset, name, value):
        return queryset  # applied in `qs` below, which also handles the parameter's absence

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("include_superseded"):
            queryset = queryset.filter(is_current=True)
        return queryset


class BaselineFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(field_name="person__external_id")
    pilot = django_filters.CharFilter(method="filter_pilot", help_text="A pilot's id.")
    metric = django_filters.CharFilter(field_name="metric__key")
    in_force = django_filters.BooleanFilter(
        method="filter_in_force", help_text="Only the latest version of each baseline."
    )

    class Meta:
        model = Baseline
        fields = ["person", "pilot", "metric", "version"]

    def filter_pilot(self, queryset, name, value):
        if not value.isdigit() or len(value) > 18:
            return queryset.none()  # no pilot has such an id
        return queryset.filter(pilot_id=int(value))

    def filter_in_force(self, queryset, name, value):
        return queryset.in_force() if value else queryset

"""One FilterSet per list, shared by the pilot list page and the API."""

import django_filters

from core.filters import IdFilter
from core.widgets import OnePassSelect
from hrapi.models import ApiClient
from people.models import Person
from pilots.models import Approach, Pilot, PilotStatus, Workgroup


def sponsors_seen_by(request):
    """Sponsors of the pilots the caller may see, so the filter names no one else's sponsor.
    Machine clients read the whole organisation (see hrapi.permissions.visible)."""
    if request is None:
        return Person.objects.none()
    if isinstance(getattr(request, "auth", None), ApiClient):
        pilots = Pilot.objects.all()
    else:
        pilots = Pilot.objects.visible_to(request.user)
    return Person.objects.filter(pk__in=pilots.values("sponsor_id")).order_by("full_name", "id")


class PilotFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PilotStatus.choices, empty_label="Any status")
    approach = django_filters.ChoiceFilter(choices=Approach.choices, empty_label="Any approach")
    sponsor = django_filters.ModelChoiceFilter(
        queryset=sponsors_seen_by,
        to_field_name="external_id",
        empty_label="Any sponsor",
        help_text="The sponsor's external_id.",
        widget=OnePassSelect,
    )

    class Meta:
        model = Pilot
        fields = ["status", "approach", "sponsor"]


class WorkgroupFilter(django_filters.FilterSet):
    pilot = IdFilter(field_name="pilot_id")
    supervisor = django_filters.CharFilter(
        field_name="supervisor__external_id", help_text="The supervisor's external_id."
    )

    class Meta:
        model = Workgroup
        fields = ["pilot", "supervisor"]

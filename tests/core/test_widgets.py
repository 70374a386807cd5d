"""OnePassSelect writes the same select as Django's, option by option."""

import pytest
from django import forms
from django.test.html import parse_html

from core.widgets import OnePassSelect
from people.models import OrgUnit

pytestmark = pytest.mark.django_db


def units_form(widget):
    class UnitForm(forms.Form):
        unit = forms.ModelChoiceField(
            queryset=OrgUnit.objects.order_by("name"), empty_label="Any unit", widget=widget
        )

    return UnitForm


@pytest.mark.parametrize("chosen", [None, "second", "not-a-unit"])
def test_it_renders_what_djangos_select_renders(chosen):
    units = {
        name: OrgUnit.objects.create(external_id=f"U-{name}", name=label)
        for name, label in [("first", "Billing & <Claims>"), ("second", 'Sales "North"')]
    }
    data = {"unit": units[chosen].pk if chosen in units else chosen} if chosen else None
    ours = str(units_form(OnePassSelect)(data)["unit"])
    djangos = str(units_form(forms.Select)(data)["unit"])
    assert parse_html(ours) == parse_html(djangos)
    assert "&lt;Claims&gt;" in ours  # labels are escaped
    second = f'value="{units["second"].pk}" selected'
    assert (second in ours) == (chosen == "second")


def test_the_dashboard_filters_use_it():
    from pilots.filters import PilotFilter as ListFilter
    from portfolio.filters import PilotFilter as DashboardFilter

    assert isinstance(DashboardFilter().form.fields["sponsor"].widget, OnePassSelect)
    assert isinstance(DashboardFilter().form.fields["org_unit"].widget, OnePassSelect)
    assert isinstance(ListFilter().form.fields["sponsor"].widget, OnePassSelect)

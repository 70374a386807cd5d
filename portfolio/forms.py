"""Forms of the portfolio pages."""

from django import forms

from portfolio.models import OrganisationSettings


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = OrganisationSettings
        fields = ["hourly_rate", "currency"]
        labels = {"hourly_rate": "Loaded hourly rate", "currency": "Currency"}

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()

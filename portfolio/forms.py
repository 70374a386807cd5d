"""Forms of the portfolio pages."""

from django import forms

from portfolio.models import OrganisationSettings

EMAIL_KINDS = ["email_below_baseline", "email_cycle_reminders", "email_sponsor_digest"]


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = OrganisationSettings
        fields = ["hourly_rate", "currency", *EMAIL_KINDS]
        labels = {"hourly_rate": "Loaded hourly rate", "currency": "Currency"}

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()

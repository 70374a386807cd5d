"""Forms for API clients: scopes as checkboxes, so nobody types a scope name by hand."""

from django import forms

from hrapi.events import EVENTS
from hrapi.models import SCOPES, ApiClient, WebhookSubscription

SCOPE_CHOICES = [(scope, f"{scope} — {label}") for scope, label in SCOPES.items()]


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=SCOPE_CHOICES, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = ApiClient
        fields = ["name", "contact_email", "scopes"]


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=[(e, e) for e in EVENTS], widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = WebhookSubscription
        fields = ["client", "url", "events", "active"]

"""Forms for API clients and webhook subscriptions (scopes and events as checkboxes, so
nobody types one by hand) and for the role an access group grants."""

from django import forms

from hrapi.events import EVENTS
from hrapi.models import SCOPES, AccessRole, ApiClient, WebhookSubscription

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
        help_texts = {"url": "http(s) to a public address; redirects are not followed."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "client" in self.fields:
            self.fields["client"].queryset = ApiClient.objects.active()


class AccessGroupRoleForm(forms.Form):
    role = forms.ChoiceField(choices=[("", "No role"), *AccessRole.choices], required=False)

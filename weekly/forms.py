"""The one-tap form of the weekly split: the week, an optional note, and the share tapped."""

from django import forms

CHOICES = [0, 25, 50, 75, 100]


class WeeklySplitForm(forms.Form):
    week = forms.DateField(widget=forms.HiddenInput)
    strategic_percent = forms.IntegerField(min_value=0, max_value=100)
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Optional: what took your time"}),
        label="Note (optional)",
    )

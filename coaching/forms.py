"""Plain Django forms for the cycle page: one per stage, plus actions, opportunities and the
moves of an opportunity. Forms only shape input; the services decide what is allowed."""

from django import forms

from coaching.models import ActionKind, EffectUnit
from core.widgets import DateInput
from people.models import Person


class DataForm(forms.Form):
    data_sought = forms.CharField(
        label="What data and context did you seek?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    context = forms.CharField(
        label="Context", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    observation_ids = forms.TypedMultipleChoiceField(
        label="Observations looked at",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, observations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observation_ids"].choices = [
            (o.pk, f"{o.metric.name}: {o.value:g} ({o.period_start:%d %b}–{o.period_end:%d %b %Y})")
            for o in observations
        ]
        if not observations:
            del self.fields["observation_ids"]


class ActionForm(forms.Form):
    description = forms.CharField(label="What will be tried?", max_length=500)
    kind = forms.ChoiceField(
        choices=ActionKind.choices, widget=forms.RadioSelect, initial=ActionKind.TASK
    )
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    due_date = forms.DateField(required=False, widget=DateInput(), label="Due date")

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(pk__in=[p.pk for p in people])


class ReflectionForm(forms.Form):
    learned = forms.CharField(
        label="What did you learn?", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    surprised = forms.CharField(
        label="What surprised you?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )
    confidence = forms.IntegerField(
        label="Confidence the group is on track (0–10)",
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class AdaptationForm(forms.Form):
    changes_next = forms.CharField(
        label="What changes next?", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


MONEY = {"min_value": 0, "max_digits": 14, "decimal_places": 2, "required": False}


class OpportunityForm(forms.Form):
    title = forms.CharField(max_length=200, label="Opportunity or unseen problem")
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    estimated_value = forms.DecimalField(label="Estimated value created (money)", **MONEY)
    estimated_efficiency = forms.DecimalField(label="Estimated efficiency effect", **MONEY)
    efficiency_unit = forms.ChoiceField(
        choices=EffectUnit.choices, initial=EffectUnit.HOURS, label="Efficiency in"
    )


class AddressForm(forms.Form):
    realised_value = forms.DecimalField(label="Realised value (money)", **MONEY)
    realised_efficiency = forms.DecimalField(label="Realised efficiency", **MONEY)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

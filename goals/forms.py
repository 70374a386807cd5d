"""Forms of the goal pages: they shape input; goals.services decides."""

from django import forms

from core.widgets import DateInput, OnePassSelect
from goals.models import Goal
from goals.permissions import manageable_units
from goals.services import EDITABLE_FIELDS
from metrics.models import MetricDefinition
from people.forms import OrgUnitChoiceField, PersonField
from pilots.models import Pilot

DATE = DateInput()


def goal_label(goal: Goal) -> str:
    return f"{goal.title} · {goal.org_unit} · {goal.period_start:%b %Y}–{goal.period_end:%b %Y}"


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return goal_label(obj)


class GoalsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return goal_label(obj)


class GoalForm(forms.ModelForm):
    owner = PersonField(help_text="The person who answers for this goal.")
    parent = GoalChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        widget=OnePassSelect,
        empty_label="None: a top-level goal",
        help_text="The goal this one serves; its org unit and period contain this goal's.",
    )

    class Meta:
        model = Goal
        fields = list(EDITABLE_FIELDS)  # what goal_update may change, no more
        field_classes = {"org_unit": OrgUnitChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "pilot": OnePassSelect,
            "metric": OnePassSelect,
            "period_start": DATE,
            "period_end": DATE,
        }
        labels = {"metric": "Target metric", "org_unit": "Org unit"}
        help_texts = {
            "start_value": "Where the metric stands at the start of the period.",
            "target_value": "Where it should be at the end of the period.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        goals = Goal.objects.visible_to(user).select_related("org_unit").order_by("title", "id")
        if self.instance.pk:
            goals = goals.exclude(pk__in=Goal.objects.descendants(self.instance, include_self=True))
        self.fields["parent"].queryset = goals
        self.fields["org_unit"].queryset = manageable_units(user)
        self.fields["org_unit"].required = False
        self.fields["org_unit"].help_text = "Pilot goals may leave it empty: the pilot's unit."
        self.fields["pilot"].queryset = Pilot.objects.visible_to(user).order_by("name", "id")
        self.fields["pilot"].help_text = "Only for pilot goals."
        self.fields["metric"].queryset = MetricDefinition.objects.filter(active=True)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "Must be on or after the start.")
        return data


class ContributionForm(forms.Form):
    to_goal = GoalChoiceField(
        queryset=Goal.objects.none(), label="Also contributes to", widget=OnePassSelect
    )
    weight = forms.DecimalField(
        min_value=0.01,
        max_value=100,
        decimal_places=2,
        initial=50,
        label="Weight (%)",
        help_text="How much of that goal this one stands for.",
    )

    def __init__(self, *args, goal: Goal, user, **kwargs):
        super().__init__(*args, **kwargs)
        branch = Goal.objects.ancestors(goal, include_self=True).values("pk")
        self.fields["to_goal"].queryset = (
            Goal.objects.visible_to(user)
            .exclude(pk__in=branch)
            .exclude(pk__in=Goal.objects.descendants(goal).values("pk"))
            .select_related("org_unit")
            .order_by("title", "id")
        )


class PilotGoalsForm(forms.Form):
    goals = GoalsField(
        queryset=Goal.objects.none(),
        required=False,
        label="Goals this pilot serves",
        help_text="The goals its results move; they list the pilot with its value and efficiency.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = servable_goals(user)


def servable_goals(user):
    return Goal.objects.visible_to(user).select_related("org_unit").order_by("title", "id")

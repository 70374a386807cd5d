"""Forms of the pilot pages: they shape and validate input; the services decide."""

from django import forms

from core.widgets import DateInput
from goals.forms import GoalsField, servable_goals
from goals.models import Goal
from people.forms import OrgUnitChoiceField, OrgUnitMultipleChoiceField, PersonField
from people.models import OrgUnit
from pilots.models import (
    CompetingInitiative,
    Decision,
    Pilot,
    Tie,
    TieFrequency,
    TieStrength,
    Workgroup,
)
from pilots.services import EDITABLE_FIELDS


class PilotForm(forms.ModelForm):
    """The guided pilot form: what, why, the first project, then the plan and patience."""

    sponsor = PersonField(
        required=False,
        help_text="Leave empty to sponsor the pilot yourself.",
    )
    # Not a Pilot column: the view hands it to goals.services.pilot_goals_set.
    goals = GoalsField(
        queryset=Goal.objects.none(),
        required=False,
        label="Goals this pilot serves",
        help_text="The goals its results move; each lists the pilot with its value and efficiency.",
    )

    class Meta:
        model = Pilot
        fields = list(EDITABLE_FIELDS)
        field_classes = {"org_unit": OrgUnitChoiceField}
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 3}),
            "pain_point": forms.Textarea(attrs={"rows": 3}),
            "demonstration_project": forms.Textarea(attrs={"rows": 3}),
            "planned_start": DateInput,
            "review_date": DateInput,
        }
        help_texts = {
            "vision": "What redefined work looks like for this group, in a sentence or two "
            "people will remember.",
            "patience_horizon_weeks": "Results lag: the weeks you commit to run the pilot "
            "before judging it. Stopping earlier needs a written reason and counts as a "
            "premature stop.",
        }
        labels = {
            "vision": "Vision statement",
            "pain_point": "Operational pain point",
            "patience_horizon_weeks": "Patience horizon (weeks)",
            "baseline_window_weeks": "Baseline window (weeks)",
            "grace_period_days": "Protection grace period (days)",
        }

    def __init__(self, *args, choose_sponsor: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = servable_goals(user) if user else Goal.objects.none()
        if self.instance.pk and "goals" not in self.initial:
            self.initial["goals"] = list(self.instance.goals.values_list("pk", flat=True))
        if not choose_sponsor or self.instance.pk:
            del self.fields["sponsor"]  # the sponsor is set once, at creation
        self.fields["org_unit"].queryset = OrgUnit.objects.all()

    def clean(self):
        data = super().clean()
        start, review = data.get("planned_start"), data.get("review_date")
        if start and review and review < start:
            self.add_error("review_date", "Must be on or after the planned start.")
        return data


class WorkgroupForm(forms.ModelForm):
    supervisor = PersonField()

    class Meta:
        model = Workgroup
        fields = ["name", "supervisor", "cadence_days"]
        labels = {"cadence_days": "Coaching cadence (days)"}


class WorkgroupEditForm(WorkgroupForm):
    """Name and cadence while the pilot lives; the supervisor only before the start."""

    def __init__(self, *args, supervisor_open: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if supervisor_open:
            self.fields[
                "supervisor"
            ].help_text = (
                "A new supervisor signs the charter afresh and you confirm the assurance again."
            )
            # The Person itself, not its id: the picker would read it again for each group.
            self.initial["supervisor"] = self.instance.supervisor
        else:
            del self.fields["supervisor"]

    def _post_clean(self):
        pass  # the service validates and writes; the instance stays as it is until then


class MemberForm(forms.Form):
    person = PersonField(label="Member")


class TieForm(forms.ModelForm):
    frequency = forms.TypedChoiceField(choices=TieFrequency.choices, coerce=int)
    strength = forms.TypedChoiceField(choices=TieStrength.choices, coerce=int)

    class Meta:
        model = Tie
        fields = ["counterpart", "frequency", "strength", "note"]


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = CompetingInitiative
        fields = ["name", "owner", "time_share_percent"]
        labels = {"time_share_percent": "Share of the group's time (%)"}


class MoveForm(forms.Form):
    """A lifecycle move; the reason is needed to stop before the horizon, optional otherwise."""

    reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only to start although some supervisors lack baseline data.",
    )
    acknowledge_low_containment = forms.BooleanField(required=False)
    # Stop and review are asked twice: the page's confirmation box must be ticked.
    confirm = forms.BooleanField(required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    lessons_learned = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    capabilities_built = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    spread_to = OrgUnitMultipleChoiceField(
        queryset=OrgUnit.objects.all(),
        required=False,
        help_text="For “scale”: the org units the new way of working should spread to.",
    )


class CharterSignForm(forms.Form):
    open_minded = forms.BooleanField(
        label="I will be open-minded: I coach the group to find problems no one has seen yet."
    )
    risk_tolerant = forms.BooleanField(
        label="I will tolerate risk: experiments may fail, and that is how we learn."
    )
    customer_commitment = forms.BooleanField(
        label="I am committed to improving the team's service to its internal or external "
        "customers."
    )

"""Forms of the evidence pages: choosing the comparison, planning follow-ups, answering one."""

from django import forms

from evidence.followups import MAX_OFFSET_WEEKS, MAX_WAVES, QUESTIONS, TEXT_LIMIT
from pilots.models import Workgroup


class WorkgroupsField(forms.ModelMultipleChoiceField):
    """Workgroup ids; anything but a plain id of sane size is refused before the database
    sees it (SQLite cannot even compare a 20-digit number)."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or len(str(pk)) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": pk},
                )  # fmt: skip
        return super()._check_values(value)


class ComparisonForm(forms.Form):
    workgroups = WorkgroupsField(
        queryset=Workgroup.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpPlanForm(forms.Form):
    offsets = forms.CharField(
        max_length=200,
        label="Weeks after the end",
        help_text=f"Up to {MAX_WAVES} numbers, 1 to {MAX_OFFSET_WEEKS}, e.g. 6, 26, 52, 104.",
    )

    def clean_offsets(self) -> list[int]:
        parts = [p for p in self.cleaned_data["offsets"].replace(";", ",").split(",") if p.strip()]
        if not parts or not all(p.strip().isdigit() and len(p.strip()) <= 4 for p in parts):
            raise forms.ValidationError("Whole numbers of weeks, separated by commas.")
        return [int(p) for p in parts]


def _open_answer(question: str) -> forms.CharField:
    """An optional free-text answer to one of the follow-up QUESTIONS."""
    return forms.CharField(
        label=QUESTIONS[question],
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    worked_best = _open_answer("worked_best")
    keep = _open_answer("keep")
    hope_next = _open_answer("hope_next")
    in_the_way = _open_answer("in_the_way")
    still_redefined = forms.TypedChoiceField(
        label="“The way we work is still redefined.” 0 = not at all, 10 = completely.",
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
    )
    anonymous = forms.BooleanField(
        required=False,
        initial=True,
        label="Answer anonymously (nothing of you is kept with the answer)",
    )

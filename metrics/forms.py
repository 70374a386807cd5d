"""Forms of the metrics pages: the CSV upload and the sponsor's re-baseline."""

from django import forms

from metrics.imports import MAX_BYTES
from metrics.models import MetricDefinition
from people.models import Person


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "UTF-8 CSV with a header row: metric, subject_type, subject_id, period_start, "
            f"period_end, value, source (optional). At most {MAX_BYTES // 1024 // 1024} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Upload a .csv file.")
        return upload


class RebaselineForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Supervisor")
    metric = forms.ModelChoiceField(queryset=MetricDefinition.objects.performance())
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, pilot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            supervised_workgroups__pilot=pilot
        ).distinct()


class PeriodForm(forms.Form):
    """The period "My metrics" shows, read exactly as HR's `protected-metrics` reads it."""

    period_start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "Must be on or after the start.")
        return data

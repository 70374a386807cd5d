"""Admin for metrics: definitions are editable by HR admins through the metrics services (a
metric in use keeps its key and meaning); observations, baselines and alerts are read-only
(append-only and frozen rows never change through the admin)."""

from django import forms
from django.contrib import admin

from core.admin import HistoryAdmin, ReadOnly
from core.errors import DomainError
from metrics.models import Baseline, BelowBaselineAlert, ImportJob, MetricDefinition, Observation
from metrics.services import (
    FIXED_IN_USE,
    metric_definition_check_change,
    metric_definition_create,
    metric_definition_update,
)


class MetricDefinitionForm(forms.ModelForm):
    class Meta:
        model = MetricDefinition
        fields = ["key", "name", "unit", "kind", "direction", "aggregation", "description"]
        fields += ["active"]

    def clean(self):
        """The service's rule, as form errors: a hand-made POST that sends the fixed fields
        anyway is refused here rather than saved."""
        data = super().clean()
        if self.instance.pk is not None:
            try:
                metric_definition_check_change(metric=self.instance, data=data)
            except DomainError as exc:
                for name, messages in exc.fields.items():
                    self.add_error(name if name in self.fields else None, messages)
        return data


@admin.register(MetricDefinition)
class MetricDefinitionAdmin(HistoryAdmin):
    form = MetricDefinitionForm
    list_display = ["key", "name", "unit", "kind", "direction", "aggregation", "active"]
    list_filter = ["kind", "direction", "aggregation", "active"]
    search_fields = ["key", "name"]

    def get_readonly_fields(self, request, obj=None):
        return FIXED_IN_USE if obj is not None and obj.is_in_use() else ()

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            metric_definition_update(metric=MetricDefinition(pk=obj.pk), data=data)
        else:
            obj.pk = metric_definition_create(data=form.cleaned_data).pk

    def has_delete_permission(self, request, obj=None):
        return False  # observations and baselines refer to definitions; deactivate instead


@admin.register(Observation)
class ObservationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["metric", "subject_type", "subject_id", "period_start", "period_end", "value"]
    list_display += ["source", "is_current"]
    list_filter = ["is_current", "subject_type", "metric"]
    list_select_related = ["metric"]


@admin.register(Baseline)
class BaselineAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["pilot", "person", "metric", "version", "value", "observation_count"]
    list_display += ["frozen_at"]
    list_select_related = ["pilot", "person", "metric"]


@admin.register(BelowBaselineAlert)
class BelowBaselineAlertAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["pilot", "person", "metric", "period_start", "actual", "baseline", "emailed_at"]
    list_select_related = ["pilot", "person", "metric"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["original_name", "status", "rows_total", "rows_done", "created_at"]

"""Admin for metrics: definitions are editable by HR admins; observations, baselines and
alerts are read-only (append-only and frozen rows never change through the admin)."""

from django.contrib import admin

from metrics.models import Baseline, BelowBaselineAlert, ImportJob, MetricDefinition, Observation


@admin.register(MetricDefinition)
class MetricDefinitionAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "unit", "kind", "direction", "aggregation", "active"]
    list_filter = ["kind", "direction", "aggregation", "active"]
    search_fields = ["key", "name"]

    def has_delete_permission(self, request, obj=None):
        return False  # observations and baselines refer to definitions; deactivate instead


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ["metric", "subject_type", "subject_id", "period_start", "period_end", "value"]
    list_display += ["source", "is_current"]
    list_filter = ["is_current", "subject_type", "metric"]
    list_select_related = ["metric"]


@admin.register(Baseline)
class BaselineAdmin(ReadOnlyAdmin):
    list_display = ["pilot", "person", "metric", "version", "value", "observation_count"]
    list_display += ["frozen_at"]
    list_select_related = ["pilot", "person", "metric"]


@admin.register(BelowBaselineAlert)
class BelowBaselineAlertAdmin(ReadOnlyAdmin):
    list_display = ["pilot", "person", "metric", "period_start", "actual", "baseline", "emailed_at"]
    list_select_related = ["pilot", "person", "metric"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "status", "rows_total", "rows_done", "created_at"]

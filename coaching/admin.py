"""Admin for coaching: read-only views of cycles, their actions, opportunities and reminders.

Cycles and opportunities move only through the services (stage order, who may write), so
the admin shows them and lets staff search and filter, but does not edit them; a reminder
may be deleted (for instance to let the daily task send it again)."""

from django.contrib import admin

from coaching.models import Cycle, CycleAction, Opportunity, Reminder
from core.admin import ReadOnly


class CycleActionInline(ReadOnly, admin.TabularInline):
    model = CycleAction
    fields = ["description", "kind", "owner", "due_date", "done", "created_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Cycle)
class CycleAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "number", "stage", "started_at", "adaptation_done_at", "confidence"]
    list_filter = ["stage", "workgroup__pilot__status", "workgroup__pilot"]
    search_fields = ["workgroup__name", "workgroup__pilot__name", "learned", "changes_next"]
    list_select_related = ["workgroup"]
    date_hierarchy = "started_at"
    inlines = [CycleActionInline]


@admin.register(CycleAction)
class CycleActionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["description", "kind", "cycle", "owner", "due_date", "done"]
    list_filter = ["kind", "done"]
    search_fields = ["description", "cycle__workgroup__name"]
    list_select_related = ["cycle__workgroup", "owner"]


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "title",
        "workgroup",
        "status",
        "estimated_value",
        "realised_value",
        "estimated_efficiency",
        "realised_efficiency",
        "efficiency_unit",
        "found_at",
    ]
    list_filter = ["status", "efficiency_unit", "workgroup__pilot__approach"]
    search_fields = ["title", "description", "workgroup__name"]
    list_select_related = ["workgroup"]
    date_hierarchy = "found_at"


@admin.register(Reminder)
class ReminderAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["kind", "recipient", "workgroup", "for_date", "emailed_at"]
    list_filter = ["kind", "for_date"]
    search_fields = ["recipient__full_name", "workgroup__name", "message"]
    list_select_related = ["recipient", "workgroup"]
    date_hierarchy = "for_date"

    def has_delete_permission(self, request, obj=None):
        # Deleting a reminder lets the daily task send it again.
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

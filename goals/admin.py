"""Admin for goals and unit heads: HR admins name who heads an org unit here; goal writes
go through the goal pages and API (the services check the org-unit rights)."""

from django.contrib import admin

from core.admin import ReadOnly
from goals.models import Goal, GoalContribution, PilotGoal, UnitHead
from goals.permissions import manages_everything


class ForManagers(admin.ModelAdmin):
    """HR admins and portfolio leaders (goals.permissions.manages_everything) only."""

    def has_module_permission(self, request):
        return manages_everything(request.user)

    def has_view_permission(self, request, obj=None):
        return manages_everything(request.user)

    def has_add_permission(self, request):
        return manages_everything(request.user)

    def has_change_permission(self, request, obj=None):
        return manages_everything(request.user)

    def has_delete_permission(self, request, obj=None):
        return manages_everything(request.user)


@admin.register(UnitHead)
class UnitHeadAdmin(ForManagers):
    list_display = ["org_unit", "person", "created_at"]
    search_fields = ["org_unit__name", "org_unit__external_id", "person__full_name"]
    autocomplete_fields = ["org_unit", "person"]
    list_select_related = ["org_unit", "person"]


@admin.register(Goal)
class GoalAdmin(ReadOnly, ForManagers):
    list_display = ["title", "level", "org_unit", "owner", "period_start", "period_end"]
    list_filter = ["level"]
    search_fields = ["title"]
    list_select_related = ["org_unit", "owner"]


@admin.register(GoalContribution)
class GoalContributionAdmin(ReadOnly, ForManagers):
    list_display = ["from_goal", "to_goal", "weight"]
    list_select_related = ["from_goal", "to_goal"]


@admin.register(PilotGoal)
class PilotGoalAdmin(ReadOnly, ForManagers):
    list_display = ["pilot", "goal", "linked_at"]
    list_select_related = ["pilot", "goal"]

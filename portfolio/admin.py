"""Admin for the portfolio: the organisation settings (one row) and read-only rollups."""

from django.contrib import admin

from core.admin import ReadOnly
from core.roles import is_hr_admin, sees_portfolio
from portfolio.models import OrganisationSettings, PilotMonthRollup


@admin.register(OrganisationSettings)
class OrganisationSettingsAdmin(admin.ModelAdmin):
    """HR admins and portfolio leaders edit the one row; nobody adds a second or deletes it."""

    list_display = ["hourly_rate", "currency", "email_below_baseline", "updated_at"]

    def _allowed(self, request) -> bool:
        return is_hr_admin(request.user) or sees_portfolio(request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request) and not OrganisationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PilotMonthRollup)
class PilotMonthRollupAdmin(ReadOnly, admin.ModelAdmin):
    """Derived data, rebuilt every minute: shown for diagnosis, never edited."""

    list_display = [
        "pilot",
        "month",
        "value_money",
        "value_hours",
        "efficiency_money",
        "efficiency_hours",
        "cycles_completed",
        "opportunities_found",
        "opportunities_addressed",
    ]
    list_filter = ["month"]
    list_select_related = ["pilot"]

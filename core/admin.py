"""Admin pieces shared by the apps: read-only admins and history pages that only show."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin history, read-only. SIMPLE_HISTORY_REVERT_DISABLED only hides
    the Revert button: a POST to a past version's page still saves that version whole, past
    the services, read-only fields and links included (a login, a metric's meaning)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnly:
    """Mix into a ModelAdmin or an inline whose rows change only through the services (or
    never: append-only and derived rows): staff view, search and filter them, nobody adds,
    changes or deletes them here. Put it first, before the admin class it restricts."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

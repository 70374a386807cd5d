"""Admin pieces shared by the apps: history pages that only show."""

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

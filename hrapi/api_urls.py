"""API routes of the hrapi app, mounted under /api/v1/."""

urlpatterns = []

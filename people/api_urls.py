"""API routes of the people app, mounted under /api/v1/."""

urlpatterns = []

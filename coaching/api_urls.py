"""API routes of the coaching app, mounted under /api/v1/."""

urlpatterns = []

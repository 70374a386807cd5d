"""API routes of the pilots app, mounted under /api/v1/."""

urlpatterns = []

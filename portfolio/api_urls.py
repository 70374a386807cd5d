"""API routes of the portfolio app, mounted under /api/v1/."""

urlpatterns = []

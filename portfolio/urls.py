"""Web pages of the portfolio app, mounted at /portfolio/."""

from django.urls import path

from portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.dashboard_export, name="export"),
    path("charts/<slug:key>.csv", views.dashboard_chart_csv, name="chart_csv"),
    path("charts/<slug:key>.xlsx", views.dashboard_chart_csv, {"fmt": "xlsx"}, name="chart_xlsx"),
    path("refresh/", views.refresh, name="refresh"),
    path("settings/", views.organisation_settings, name="settings"),
    path("pilots/<int:pk>/", views.pilot_charts, name="pilot"),
    path("pilots/<int:pk>/charts/<slug:key>.csv", views.pilot_chart_csv, name="pilot_chart_csv"),
    path(
        "pilots/<int:pk>/charts/<slug:key>.xlsx",
        views.pilot_chart_csv,
        {"fmt": "xlsx"},
        name="pilot_chart_xlsx",
    ),
]

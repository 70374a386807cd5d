"""Web pages of the evidence app, mounted at /evidence/."""

from django.urls import path

from evidence import views

app_name = "evidence"
urlpatterns = [
    path("pilots/<int:pk>/comparison/", views.comparison, name="comparison"),
    path("pilots/<int:pk>/followup-plan/", views.followup_plan, name="followup_plan"),
    path("pilots/<int:pk>/charts/<slug:key>.csv", views.chart_csv, name="chart_csv"),
    path("pilots/<int:pk>/charts/<slug:key>.xlsx", views.chart_csv, {"fmt": "xlsx"}),
    path("followups/", views.invitations, name="invitations"),
    path("followups/answer/<str:token>/", views.answer, name="answer"),
]

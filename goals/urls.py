"""Web pages of the goals app, mounted at /goals/."""

from django.urls import path

from goals import views

app_name = "goals"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/contributions/", views.contribution_add, name="contribution_add"),
    path(
        "<int:pk>/contributions/<int:to_goal>/remove/",
        views.contribution_remove,
        name="contribution_remove",
    ),
    path("pilots/<int:pilot_id>/", views.pilot_goals, name="pilot_goals"),
]

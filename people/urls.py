"""Web pages of the people app, mounted at /people/."""

from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("search/", views.person_search, name="search"),
    path("<path:external_id>/history/", views.person_history, name="history"),
]

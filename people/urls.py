"""Web pages of the people app, mounted at /people/. External ids may hold slashes
(`<path:...>`), so every page with a suffix comes before the person's own page, which
would otherwise take `P1/history/` for a person called `P1/history`."""

from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("search/", views.person_search, name="search"),
    path("<path:external_id>/history/", views.person_history, name="history"),
    path("<path:external_id>/invite/", views.person_invite, name="invite"),
    path("<path:external_id>/roles/", views.person_role, name="role"),
    path("<path:external_id>/deactivate/", views.person_deactivate, name="deactivate"),
    path("<path:external_id>/reactivate/", views.person_reactivate, name="reactivate"),
    path("<path:external_id>/", views.person_detail, name="detail"),
]

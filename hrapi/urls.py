"""Web pages of the hrapi app, mounted at /integrations/."""

from django.urls import path

from hrapi import views

app_name = "hrapi"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]

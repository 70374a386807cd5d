"""Web pages of the hrapi app, mounted at /integrations/."""

from django.urls import path

from hrapi import views

app_name = "hrapi"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<int:pk>/", views.webhook_detail, name="webhook"),
    path("webhooks/<int:pk>/active/", views.webhook_active, name="webhook_active"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        views.webhook_redeliver,
        name="webhook_redeliver",
    ),
    path("access-groups/<int:pk>/role/", views.access_group_role, name="access-group-role"),
]

"""Web pages of the metrics app."""

from django.urls import path

from metrics import views

app_name = "metrics"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("mine/<str:key>.<str:fmt>", views.mine_export, name="mine_export"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/status/", views.import_status, name="import-status"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import-errors"),
    path("pilots/<int:pilot_id>/rebaseline/", views.rebaseline, name="rebaseline"),
]

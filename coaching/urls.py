"""Web pages of the coaching app, mounted at /coaching/."""

from django.urls import path

from coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("workgroups/<int:workgroup_id>/start/", views.cycle_start, name="cycle_start"),
    path("workgroups/<int:workgroup_id>/timeline/", views.timeline, name="timeline"),
    path("cycles/<int:pk>/", views.cycle_page, name="cycle"),
    path("cycles/<int:pk>/data/", views.cycle_data, name="cycle_data"),
    path("cycles/<int:pk>/actions/", views.cycle_action_add, name="cycle_action_add"),
    path(
        "cycles/<int:pk>/actions/<int:action_id>/",
        views.cycle_action_edit,
        name="cycle_action_edit",
    ),
    path(
        "cycles/<int:pk>/actions/<int:action_id>/remove/",
        views.cycle_action_remove,
        name="cycle_action_remove",
    ),
    path("cycles/<int:pk>/actions/done/", views.cycle_actions_done, name="cycle_actions_done"),
    path("cycles/<int:pk>/reflection/", views.cycle_reflection, name="cycle_reflection"),
    path("cycles/<int:pk>/adaptation/", views.cycle_adaptation, name="cycle_adaptation"),
    path("cycles/<int:pk>/abandon/", views.cycle_abandon, name="cycle_abandon"),
    path("cycles/<int:pk>/opportunities/", views.opportunity_add, name="opportunity_add"),
    path(
        "cycles/<int:cycle_pk>/opportunities/<int:pk>/address/",
        views.opportunity_address,
        name="opportunity_address",
    ),
    path(
        "cycles/<int:cycle_pk>/opportunities/<int:pk>/drop/",
        views.opportunity_drop,
        name="opportunity_drop",
    ),
]

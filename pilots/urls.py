"""Web pages of the pilots app, mounted at /pilots/."""

from django.urls import path

from pilots import views, workgroup_views

app_name = "pilots"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/move/<slug:name>/", views.move, name="move"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/workgroups/", workgroup_views.workgroup_add, name="workgroup_add"),
    path("charters/<int:workgroup_id>/", views.charter, name="charter"),
    path("charters/<int:workgroup_id>/assurance/", views.assurance, name="assurance"),
    path(
        "workgroups/<int:workgroup_id>/edit/", workgroup_views.workgroup_edit, name="workgroup_edit"
    ),
    path(
        "workgroups/<int:workgroup_id>/remove/",
        workgroup_views.workgroup_remove,
        name="workgroup_remove",
    ),
    path("workgroups/<int:workgroup_id>/members/", workgroup_views.member_add, name="member_add"),
    path(
        "workgroups/<int:workgroup_id>/members/<int:person_id>/remove/",
        workgroup_views.member_remove,
        name="member_remove",
    ),
    path("workgroups/<int:workgroup_id>/ties/", workgroup_views.tie_add, name="tie_add"),
    path("ties/<int:tie_id>/remove/", workgroup_views.tie_remove, name="tie_remove"),
    path(
        "workgroups/<int:workgroup_id>/initiatives/",
        workgroup_views.initiative_add,
        name="initiative_add",
    ),
    path(
        "initiatives/<int:initiative_id>/remove/",
        workgroup_views.initiative_remove,
        name="initiative_remove",
    ),
]

"""SCIM 2.0 routes, mounted at /scim/v2/ (no trailing slashes, as SCIM clients send them)."""

from django.urls import re_path

from hrapi.scim import views

urlpatterns = [
    re_path(r"^ServiceProviderConfigs?/?$", views.ServiceProviderConfig.as_view()),
    re_path(r"^ResourceTypes/?$", views.ResourceTypes.as_view()),
    re_path(r"^ResourceTypes/(?P<name>[^/]+)/?$", views.ResourceTypes.as_view()),
    re_path(r"^Schemas/?$", views.Schemas.as_view()),
    re_path(r"^Schemas/(?P<urn>[^/]+)/?$", views.Schemas.as_view()),
    re_path(r"^Users/?$", views.Users.as_view(), name="scim-users"),
    re_path(r"^Users/\.search/?$", views.UserSearch.as_view()),
    re_path(r"^Users/(?P<pk>[^/]+)/?$", views.UserDetail.as_view(), name="scim-user"),
    re_path(r"^Groups/?$", views.Groups.as_view(), name="scim-groups"),
    re_path(r"^Groups/\.search/?$", views.GroupSearch.as_view()),
    re_path(r"^Groups/(?P<pk>[^/]+)/?$", views.GroupDetail.as_view(), name="scim-group"),
    re_path(r"^.*$", views.NotFound.as_view()),
]

"""Web pages of the weekly split, mounted at /weekly/."""

from django.urls import path

from weekly import views

app_name = "weekly"
urlpatterns = [path("", views.mine, name="mine")]

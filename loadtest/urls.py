"""The project's URLs plus the capacity floor: a bare Django view (no database, no template),
served by the same gunicorn, so requests per second are compared in the same run."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("loadtest/bare/", bare), *project]

"""The project's URLs plus the benchmark's floor: a bare DRF view, no authentication, no
permission, no throttle, answering the same 404 after the same one-row query as the
authenticated floor. It goes first, so its URL resolves in one step."""

from django.shortcuts import get_object_or_404
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as project
from pilots.models import Pilot


class BareView(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = []

    def get(self, request, pk):
        pilot = get_object_or_404(Pilot.objects.only("id", "name"), pk=pk)
        return Response({"id": pilot.pk})


urlpatterns = [path("bench/bare/<int:pk>/", BareView.as_view()), *project]

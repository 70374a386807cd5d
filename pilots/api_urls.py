"""API routes of the pilots app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from pilots.api import PilotViewSet, WorkgroupViewSet

router = SimpleRouter()
router.register("pilots", PilotViewSet, basename="pilot")
router.register("workgroups", WorkgroupViewSet, basename="workgroup")

urlpatterns = router.urls

"""API routes of the weekly split, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from weekly.api import WeeklySplitViewSet

router = SimpleRouter()
router.register("weekly-splits", WeeklySplitViewSet, basename="weekly-split")

urlpatterns = router.urls

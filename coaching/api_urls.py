"""API routes of the coaching app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from coaching.api import CycleViewSet, OpportunityViewSet

router = SimpleRouter()
router.register("cycles", CycleViewSet, basename="cycle")
router.register("opportunities", OpportunityViewSet, basename="opportunity")

urlpatterns = router.urls

"""API routes of the goals app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from goals.api import GoalViewSet

router = SimpleRouter()
router.register("goals", GoalViewSet, basename="goal")

urlpatterns = router.urls

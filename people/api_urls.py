"""API routes of the people app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from people.api import OrgUnitViewSet, PersonViewSet

router = SimpleRouter()
router.register("org-units", OrgUnitViewSet, basename="org-unit")
router.register("people", PersonViewSet, basename="person")

urlpatterns = router.urls

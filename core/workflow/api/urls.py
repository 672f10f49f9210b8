from rest_framework.routers import SimpleRouter

from core.workflow.api.views import EventViewSet

router = SimpleRouter()
router.register("", EventViewSet, basename="events")
urlpatterns = router.urls

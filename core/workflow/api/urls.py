from rest_framework.routers import SimpleRouter

from core.workflow.api.duty_shifts import DutyShiftViewSet
from core.workflow.api.views import EventViewSet

router = SimpleRouter()
router.register("duty-shifts", DutyShiftViewSet, basename="events-duty-shift")
router.register("", EventViewSet, basename="events")
urlpatterns = router.urls

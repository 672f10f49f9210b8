from rest_framework.routers import SimpleRouter

from scenarios.minors.api.views import ChildRecordViewSet, ChildReportViewSet

router = SimpleRouter()
router.register("children", ChildRecordViewSet, basename="minors-child")
router.register("reports", ChildReportViewSet, basename="minors-report")
urlpatterns = router.urls

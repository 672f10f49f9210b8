from rest_framework.routers import SimpleRouter

from core.dashboards.api.views import DashboardViewSet

router = SimpleRouter()
router.register("", DashboardViewSet, basename="dashboard")

urlpatterns = router.urls

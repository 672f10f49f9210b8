from rest_framework.routers import SimpleRouter

from core.regions.api.views import RegionViewSet

router = SimpleRouter()
router.register("", RegionViewSet, basename="region")

urlpatterns = router.urls

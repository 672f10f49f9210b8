from rest_framework.routers import SimpleRouter

from scenarios.elderly_alone.api.views import CareCaseViewSet

router = SimpleRouter()
router.register("cases", CareCaseViewSet, basename="elderly_alone-case")
urlpatterns = router.urls

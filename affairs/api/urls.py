from rest_framework.routers import SimpleRouter

from affairs.api import more_routes
from affairs.api.views import ApplicationViewSet, ServiceItemViewSet

router = SimpleRouter()
router.register("items", ServiceItemViewSet, basename="affairs-item")
router.register("applications", ApplicationViewSet, basename="affairs-application")

urlpatterns = [*router.urls, *more_routes.urlpatterns]

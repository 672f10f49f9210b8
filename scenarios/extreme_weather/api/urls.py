from django.urls import path
from rest_framework.routers import SimpleRouter

from scenarios.extreme_weather.api.views import (
    CareVisitViewSet,
    WeatherWarningPushView,
    WeatherWarningViewSet,
)

router = SimpleRouter()
router.register("warnings", WeatherWarningViewSet, basename="extreme_weather-warning")
router.register("visits", CareVisitViewSet, basename="extreme_weather-visit")
urlpatterns = [path("push/", WeatherWarningPushView.as_view(), name="extreme_weather-push"), *router.urls]

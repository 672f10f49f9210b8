from django.urls import path
from rest_framework.routers import SimpleRouter

from safety.api.readings import device_readings
from safety.api.views_devices import AlarmViewSet, DeviceViewSet

router = SimpleRouter()
router.register("devices", DeviceViewSet, basename="safety-device")
router.register("alarms", AlarmViewSet, basename="safety-alarm")

urlpatterns = [path("readings/", device_readings, name="safety-device-readings"), *router.urls]

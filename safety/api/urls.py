from django.urls import path
from rest_framework.routers import SimpleRouter

from safety.api.readings import device_readings
from safety.api.views_care import CareRecipientViewSet, KeyPersonViewSet
from safety.api.views_devices import AlarmViewSet, DeviceViewSet
from safety.api.views_emergency import (
    DrillViewSet,
    EmergencyPlanViewSet,
    IncidentReceiptViewSet,
    IncidentViewSet,
)
from safety.api.views_inspections import ChecklistItemViewSet, FindingViewSet, InspectionRoundViewSet
from safety.api.views_patrols import PatrolRouteViewSet, PatrolShiftViewSet, RoughSleeperViewSet

router = SimpleRouter()
router.register("devices", DeviceViewSet, basename="safety-device")
router.register("alarms", AlarmViewSet, basename="safety-alarm")
router.register("checklist-items", ChecklistItemViewSet, basename="safety-checklist-item")
router.register("rounds", InspectionRoundViewSet, basename="safety-round")
router.register("findings", FindingViewSet, basename="safety-finding")
router.register("plans", EmergencyPlanViewSet, basename="safety-plan")
router.register("drills", DrillViewSet, basename="safety-drill")
router.register("incidents", IncidentViewSet, basename="safety-incident")
router.register("receipts", IncidentReceiptViewSet, basename="safety-receipt")
router.register("care-recipients", CareRecipientViewSet, basename="safety-care-recipient")
router.register("key-persons", KeyPersonViewSet, basename="safety-key-person")
router.register("patrol-routes", PatrolRouteViewSet, basename="safety-patrol-route")
router.register("patrol-shifts", PatrolShiftViewSet, basename="safety-patrol-shift")
router.register("rough-sleepers", RoughSleeperViewSet, basename="safety-rough-sleeper")

urlpatterns = [path("readings/", device_readings, name="safety-device-readings"), *router.urls]

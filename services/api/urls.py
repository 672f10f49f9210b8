"""The routes of community services under /api/v1/services/."""

from rest_framework.routers import SimpleRouter

from services.api import views_care as care
from services.api import views_meals as meals
from services.api import views_venues as venues
from services.api import views_volunteers as volunteers

router = SimpleRouter()
router.register("volunteers", volunteers.VolunteerViewSet, basename="services-volunteer")
router.register("teams", volunteers.TeamViewSet, basename="services-team")
router.register("projects", volunteers.ServiceProjectViewSet, basename="services-project")
router.register("hours", volunteers.HoursViewSet, basename="services-hours")
router.register("time-banks", volunteers.TimeBankViewSet, basename="services-time-bank")
router.register("meal-points", meals.MealPointViewSet, basename="services-meal-point")
router.register("meal-rules", meals.MealSubsidyRuleViewSet, basename="services-meal-rule")
router.register("meals", meals.MealRecordViewSet, basename="services-meal")
router.register("settlements", meals.MealSettlementViewSet, basename="services-settlement")
router.register("rooms", venues.RoomViewSet, basename="services-room")
router.register("bookings", venues.BookingViewSet, basename="services-booking")
router.register("activities", venues.ActivityViewSet, basename="services-activity")
router.register("retrofits", care.RetrofitViewSet, basename="services-retrofit")
router.register("home-services", care.HomeServiceViewSet, basename="services-home-service")
router.register("providers", care.ProviderViewSet, basename="services-provider")
router.register("orders", care.HomeOrderViewSet, basename="services-order")
router.register("stations", care.StationViewSet, basename="services-station")
router.register("cases", care.SocialCaseViewSet, basename="services-case")
router.register("directory", care.DirectoryViewSet, basename="services-directory")
router.register("requests", care.ServiceRequestViewSet, basename="services-request")

urlpatterns = [*router.urls]

"""The routes of government affairs under /api/v1/affairs/."""

from rest_framework.routers import SimpleRouter

from affairs.api.views_applications import ApplicationViewSet, ServiceItemViewSet
from affairs.api.views_benefits import BenefitViewSet
from affairs.api.views_publicity import PublicityViewSet
from affairs.api.views_standards import StandardViewSet
from affairs.api.views_statistics import StatisticsViewSet

router = SimpleRouter()
router.register("items", ServiceItemViewSet, basename="affairs-item")
router.register("applications", ApplicationViewSet, basename="affairs-application")
router.register("standards", StandardViewSet, basename="affairs-standard")
router.register("benefits", BenefitViewSet, basename="affairs-benefit")
router.register("publicity", PublicityViewSet, basename="affairs-publicity")
router.register("statistics", StatisticsViewSet, basename="affairs-statistics")

urlpatterns = [*router.urls]

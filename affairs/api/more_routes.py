"""Routes of affairs' standards, benefits, publicity and statistics (added to affairs/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from affairs.api.views_benefits import BenefitViewSet
from affairs.api.views_reports import PublicityViewSet, StatisticsViewSet
from affairs.api.views_standards import StandardViewSet

router = SimpleRouter()
router.register("standards", StandardViewSet, basename="affairs-standard")
router.register("benefits", BenefitViewSet, basename="affairs-benefit")
router.register("publicity", PublicityViewSet, basename="affairs-publicity")
router.register("statistics", StatisticsViewSet, basename="affairs-statistics")
urlpatterns: list = [*router.urls]

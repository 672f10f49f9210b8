"""The routes of co-governance under /api/v1/governance/."""

from rest_framework.routers import SimpleRouter

from governance.api.views_cobuilding import NeedViewSet, UnitViewSet
from governance.api.views_more import (
    ElectionViewSet,
    OrganizationViewSet,
    UpstreamFormViewSet,
    VentureRoundViewSet,
)
from governance.api.views_surveys import SurveyViewSet
from governance.api.views_topics import TopicViewSet

router = SimpleRouter()
router.register("topics", TopicViewSet, basename="governance-topic")
router.register("surveys", SurveyViewSet, basename="governance-survey")
router.register("organizations", OrganizationViewSet, basename="governance-organization")
router.register("venture-rounds", VentureRoundViewSet, basename="governance-round")
router.register("elections", ElectionViewSet, basename="governance-election")
router.register("report-forms", UpstreamFormViewSet, basename="governance-form")
router.register("co-building-units", UnitViewSet, basename="governance-unit")
router.register("needs", NeedViewSet, basename="governance-need")

urlpatterns = [*router.urls]

"""The routes of co-governance under /api/v1/governance/."""

from rest_framework.routers import SimpleRouter

from governance.api.views_surveys import SurveyViewSet
from governance.api.views_topics import TopicViewSet

router = SimpleRouter()
router.register("topics", TopicViewSet, basename="governance-topic")
router.register("surveys", SurveyViewSet, basename="governance-survey")

urlpatterns = [*router.urls]

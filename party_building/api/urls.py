"""The routes of party building under /api/v1/party-building/."""

from rest_framework.routers import SimpleRouter

from party_building.api.views import MemberViewSet, OrganizationViewSet
from party_building.api.views_life import ElectionViewSet, FrequencyViewSet, MeetingViewSet
from party_building.api.views_service import (
    HelpRequestViewSet,
    PostViewSet,
    ReportViewSet,
    ServiceRecordViewSet,
)

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="party-building-organization")
router.register("members", MemberViewSet, basename="party-building-member")
router.register("frequencies", FrequencyViewSet, basename="party-building-frequency")
router.register("meetings", MeetingViewSet, basename="party-building-meeting")
router.register("elections", ElectionViewSet, basename="party-building-election")
router.register("reports", ReportViewSet, basename="party-building-report")
router.register("posts", PostViewSet, basename="party-building-post")
router.register("service-records", ServiceRecordViewSet, basename="party-building-service-record")
router.register("help-requests", HelpRequestViewSet, basename="party-building-help-request")

urlpatterns = [*router.urls]

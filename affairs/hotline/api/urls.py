from django.urls import path
from rest_framework.routers import SimpleRouter

from affairs.hotline.api.views import ImportViewSet, StatisticsViewSet, TicketViewSet
from affairs.hotline.api.webhooks import ReturnVisitView, TicketPushView

router = SimpleRouter()
router.register("tickets", TicketViewSet, basename="hotline-ticket")
router.register("imports", ImportViewSet, basename="hotline-import")
router.register("statistics", StatisticsViewSet, basename="hotline-statistics")

urlpatterns = [
    path("push/", TicketPushView.as_view(), name="hotline-push"),
    path("return-visits/", ReturnVisitView.as_view(), name="hotline-return-visits"),
    *router.urls,
]

from django.urls import path
from rest_framework.routers import SimpleRouter

from scenarios.low_income.api.views import (
    OfficeRecordImportViewSet,
    OfficeRecordPushView,
    OfficeRecordViewSet,
    RiskFlagViewSet,
)

router = SimpleRouter()
router.register("flags", RiskFlagViewSet, basename="low_income-flag")
router.register("records", OfficeRecordViewSet, basename="low_income-record")
router.register("imports", OfficeRecordImportViewSet, basename="low_income-import")

urlpatterns = [
    path("push/", OfficeRecordPushView.as_view(), name="low_income-push"),
    *router.urls,
]

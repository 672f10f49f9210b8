"""/api/v1/audit/: the log itself is the part's main collection, served at the prefix."""

from rest_framework.routers import SimpleRouter

from core.audit.api.views import AuditEventViewSet

router = SimpleRouter()
router.register("", AuditEventViewSet, basename="audit-event")

urlpatterns = router.urls

"""/api/v1/registry/imports/: register imports (jobs, template, error reports) and exports."""

from rest_framework.routers import SimpleRouter

from core.imports.api.views import ImportJobViewSet, ResidentExportViewSet

router = SimpleRouter()
router.register("exports/residents", ResidentExportViewSet, basename="export-residents")
router.register("", ImportJobViewSet, basename="import-job")

urlpatterns = router.urls

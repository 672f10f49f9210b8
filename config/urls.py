from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core.api.views import api_not_found, api_root
from core.extensions.registry import registry
from core.health.views import healthz, readyz

admin.site.site_header = _("Smart Community administration")
admin.site.site_title = _("Smart Community")
admin.site.index_title = _("Administration")

api_v1 = [path("", api_root, name="api-root")] + [
    path(f"{part.prefix}/", include(part.urls_module)) for part in registry.api_parts()
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("dashboard/", include("core.dashboards.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/v1/", include(api_v1)),
    path("open311/v2/", include("core.workflow.open311.urls")),
    # Anything else under /api/ answers 404 in the API's error shape, in debug mode too.
    re_path(r"^api/", api_not_found),
]

handler404 = "core.api.views.not_found"
handler500 = "core.api.views.server_error"

from django.urls import include, path

from core.registry.api.routes import router

urlpatterns = [
    path("imports/", include("core.imports.api.urls")),
    *router.urls,
]

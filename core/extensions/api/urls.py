from django.urls import path

from core.extensions.api.views import ScenarioListViewSet, ScenarioSettingsViewSet, ScenarioStateViewSet

urlpatterns = [
    path("", ScenarioListViewSet.as_view({"get": "list"}), name="scenarios-list"),
    path("<str:key>/state/", ScenarioStateViewSet.as_view({"get": "retrieve"}), name="scenarios-state"),
    path(
        "<str:key>/state/<int:region_id>/",
        ScenarioStateViewSet.as_view({"get": "retrieve_at", "put": "update"}),
        name="scenarios-place-state",
    ),
    path(
        "<str:key>/settings/", ScenarioSettingsViewSet.as_view({"get": "retrieve"}), name="scenarios-settings"
    ),
    path(
        "<str:key>/settings/<int:region_id>/",
        ScenarioSettingsViewSet.as_view({"get": "retrieve_at", "post": "create"}),
        name="scenarios-place-settings",
    ),
]

"""/api/v1/scenarios/: the scenarios with their state and settings at the caller's place.

A scenario's own resources are served by the scenario at /api/v1/scenarios/<key>/<resource>/."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.errors import NotFound
from core.api.viewsets import ScopedViewSet
from core.extensions.api.serializers import (
    ScenarioOutput,
    ScenarioPlaceQueryInput,
    ScenarioSettingsInput,
    ScenarioSettingsOutput,
    ScenarioSettingsVersionOutput,
    ScenarioStateInput,
    ScenarioStateOutput,
)
from core.extensions.models import ScenarioEnablement
from core.extensions.scenarios import (
    ENABLE_PERMISSION,
    scenario_config,
    scenario_set_enabled,
    scenario_settings_add,
    scenario_settings_at,
    scenario_state_at,
)
from core.regions.models import Region
from core.regions.paths import region_in_scope

VIEW = "extensions.view_scenarios"


def state_data(config, region) -> dict:
    state = scenario_state_at(config.label, region.path)
    return {
        "key": config.label,
        "region": region.pk,
        "region_path": region.path,
        "enabled": state.enabled,
        "decided_at": state.decided_at,
        "inherited": state.inherited,
    }


def settings_data(config, region) -> dict:
    effective = scenario_settings_at(config.label, region.path)
    return {
        "key": config.label,
        "region": region.pk,
        "region_path": region.path,
        "versions": list(effective.versions),
        "settings": [
            {
                "name": s.name,
                "type": s.type,
                "default": s.clean(s.default),
                "label": str(s.label or s.name),
                "policy": s.policy,
                "value": s.clean(effective.values[s.name]),
                "set_at": effective.sources[s.name],
            }
            for s in config.settings_schema
        ],
    }


class ScenarioPlaceViewSet(ScopedViewSet):
    """Reads at a place: `?region=<id>` in the caller's scope, else the caller's own (top) node."""

    queryset = ScenarioEnablement.objects.all()
    action_permissions = {"*": (VIEW,), "update": (ENABLE_PERMISSION,), "create": (ENABLE_PERMISSION,)}

    def place(self, region_id=None, permission: str = VIEW) -> Region:
        if region_id is None:
            region_id = self.parse(ScenarioPlaceQueryInput, data=self.request.query_params).get("region")
        if region_id is None:
            paths = self.scope.paths_with(permission)
            region = Region.objects.filter(path__in=paths).order_by("level", "id").first()
        else:
            region = region_in_scope(self.request.user, region_id, permission)
        if region is None:
            raise NotFound()
        return region


class ScenarioListViewSet(ScenarioPlaceViewSet):
    pagination_class = None  # a short fixed list (the installed scenarios): an array, documented so

    @extend_schema(
        tags=["scenarios"],
        summary="The scenarios with their state at a place",
        responses=ScenarioOutput(many=True),
    )
    def list(self, request):
        from core.extensions.registry import registry

        region = self.place()
        language = get_language() or "zh-hans"
        rows = [
            {
                "key": config.label,
                "name": config.display_name(language),
                "names": dict(config.names),
                "domain": config.domain,
                "version": config.version,
                "platform_versions": config.platform_versions,
                "url": request.build_absolute_uri(f"/api/v1/{config.api_prefix}/")
                if config.api_prefix
                else "",
                "state": state_data(config, region),
            }
            for config in registry.scenarios()
        ]
        return Response(ScenarioOutput(rows, many=True).data)


class ScenarioStateViewSet(ScenarioPlaceViewSet):
    @extend_schema(
        tags=["scenarios"], summary="A scenario's state at the caller's place", responses=ScenarioStateOutput
    )
    def retrieve(self, request, key: str):
        return Response(state_data(scenario_config(key), self.place()))

    # The path with a region is its own operation: its own operationId (the default repeats the above).
    @extend_schema(
        tags=["scenarios"],
        summary="A scenario's state at a place",
        responses=ScenarioStateOutput,
        operation_id="scenarios_place_state_retrieve",
    )
    def retrieve_at(self, request, key: str, region_id: int):
        return Response(state_data(scenario_config(key), self.place(region_id)))

    @extend_schema(
        tags=["scenarios"],
        summary="Enable or disable a scenario for a place",
        request=ScenarioStateInput,
        responses=ScenarioStateOutput,
    )
    def update(self, request, key: str, region_id: int):
        config = scenario_config(key)
        region = self.place(region_id, ENABLE_PERMISSION)
        data = self.parse(ScenarioStateInput)
        scenario_set_enabled(
            actor=request.user,
            scenario_key=config.label,
            region=region,
            enabled=data["enabled"],
            request=request,
        )
        return Response(state_data(config, region))


class ScenarioSettingsViewSet(ScenarioPlaceViewSet):
    @extend_schema(
        tags=["scenarios"],
        summary="A scenario's settings in force at the caller's place",
        responses=ScenarioSettingsOutput,
    )
    def retrieve(self, request, key: str):
        return Response(settings_data(scenario_config(key), self.place()))

    @extend_schema(
        tags=["scenarios"],
        summary="A scenario's settings in force at a place",
        responses=ScenarioSettingsOutput,
        operation_id="scenarios_place_settings_retrieve",
    )
    def retrieve_at(self, request, key: str, region_id: int):
        return Response(settings_data(scenario_config(key), self.place(region_id)))

    @extend_schema(
        tags=["scenarios"],
        summary="A new dated version of a scenario's settings at a place",
        request=ScenarioSettingsInput,
        responses=ScenarioSettingsVersionOutput,
    )
    def create(self, request, key: str, region_id: int):
        config = scenario_config(key)
        region = self.place(region_id, ENABLE_PERMISSION)
        data = self.parse(ScenarioSettingsInput)
        row = scenario_settings_add(
            actor=request.user,
            scenario_key=config.label,
            region=region,
            values=data["values"],
            valid_from=data.get("valid_from"),
            request=request,
        )
        return Response(ScenarioSettingsVersionOutput(row).data, status=201)

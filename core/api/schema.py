"""The OpenAPI schema's component names: a domain's or scenario's serializers are named after
their app (`PartyBuildingElectionOutput`, `GovernanceElectionOutput`), so two apps may each have
an `ElectionOutput` without one component silently standing for both. The platform's own (core)
serializers keep their plain names. SETTINGS: REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]."""

from __future__ import annotations

from django.apps import apps
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from inflection import camelize


def component_prefix(module: str) -> str:
    """'' for the platform's core apps, else the owning app's label in CamelCase."""
    config = apps.get_containing_app_config(module)
    if config is None or config.name == "core" or config.name.startswith("core."):
        return ""
    return camelize(config.label)


class AutoSchema(SpectacularAutoSchema):
    def get_serializer_name(self, serializer, direction) -> str:
        name = super().get_serializer_name(serializer, direction)
        prefix = component_prefix(type(serializer).__module__)
        return name if name.startswith(prefix) else prefix + name

"""The base of a scenario's own API resources (/api/v1/scenarios/<key>/<resource>/): rows only
at places where the scenario is enabled, so an object at a disabled place answers 404 and a
disabled community's lists are empty; writing at a disabled place answers 404 too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.api.errors import NotFound
from core.extensions.errors import ScenarioError
from core.extensions.scenarios import scenario_enabled_at, scenario_enabled_q


class ScenarioResourceMixin:
    """Mix into a core.api.viewsets base; set `scenario_key`."""

    scenario_key: str = ""
    scenario_path_field = "region_path"

    def enabled_q(self):
        return scenario_enabled_q(self.scenario_key, self.scenario_path_field)

    def get_queryset(self):
        return super().get_queryset().filter(self.enabled_q())


def require_enabled(scenario_key: str, region_path: str) -> None:
    """404 where the scenario is not enabled (its routes do not exist there)."""
    if not scenario_enabled_at(scenario_key, region_path):
        raise NotFound(_("This scenario is not enabled here."), code=ScenarioError.NOT_ENABLED_HERE)

"""Shared by the scenarios' tests: switching a scenario on at a place without going through the
audited service (scope cases make objects before the request they observe)."""

from __future__ import annotations

from types import SimpleNamespace

from core.extensions.models import ScenarioEnablement
from core.extensions.scenarios import scenario_set_enabled

SYSTEM = SimpleNamespace(is_superuser=True, is_authenticated=False)


def enable(scenario_key: str, region, enabled: bool = True) -> None:
    ScenarioEnablement.objects.update_or_create(
        scenario_key=scenario_key, region=region, defaults={"region_path": region.path, "enabled": enabled}
    )


def enable_audited(scenario_key: str, region, enabled: bool = True) -> None:
    scenario_set_enabled(actor=SYSTEM, scenario_key=scenario_key, region=region, enabled=enabled)

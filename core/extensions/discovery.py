"""Find scenario apps: local packages under scenarios/ and installed distributions' entry points.

Runs while settings load, so it imports nothing from Django.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

ENTRY_POINT_GROUP = "smartcommunity.scenarios"


def local_scenario_apps(scenarios_dir: Path) -> list[str]:
    return sorted(
        f"scenarios.{path.parent.name}"
        for path in scenarios_dir.glob("*/apps.py")
        if not path.parent.name.startswith(("_", "."))
    )


def installed_scenario_apps() -> list[str]:
    # An entry point's value is the app's module (or its AppConfig's dotted path).
    return sorted(ep.value for ep in entry_points(group=ENTRY_POINT_GROUP))


def scenario_apps(scenarios_dir: Path) -> list[str]:
    found = local_scenario_apps(scenarios_dir)
    return found + [app for app in installed_scenario_apps() if app not in found]

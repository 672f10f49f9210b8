"""Find scenario apps: local packages under scenarios/ and installed distributions' entry points.

Runs while settings load, so it imports nothing from Django. An entry point naming a module that
cannot be found is left out of INSTALLED_APPS (Django would stop on it) and remembered in
`UNAVAILABLE`, which /readyz reports with the scenarios disabled at start-up.
"""

from __future__ import annotations

import importlib.util
from importlib.metadata import entry_points
from pathlib import Path

ENTRY_POINT_GROUP = "smartcommunity.scenarios"

# Entry-point value -> why it is not installed (read by core.extensions.registry).
UNAVAILABLE: dict[str, str] = {}


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
    for app in installed_scenario_apps():
        if app in found:
            continue
        missing = _missing(app)
        if missing:
            UNAVAILABLE[app] = missing
        else:
            found.append(app)
    return found


def _missing(app: str) -> str:
    """Why the entry point's module cannot be found ("" when it can), without running it."""
    module = app
    for candidate in (app, app.rpartition(".")[0]):  # a module, or an AppConfig's dotted path
        if not candidate:
            continue
        try:
            if importlib.util.find_spec(candidate) is not None:
                return ""
        except Exception as exc:  # a parent package that fails to import, or is not a package
            module = f"{candidate} ({type(exc).__name__}: {exc})"
            continue
    return f"entry point {app!r}: module {module} cannot be found"

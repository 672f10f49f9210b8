"""Find scenario apps: local packages under scenarios/ and installed distributions' entry points.

Runs while settings load, so it imports nothing from Django but the scenarios' own app modules.
A scenario whose module cannot be found, or whose package or apps.py fails to import (a syntax
error, a missing dependency), is left out of INSTALLED_APPS (Django would stop on it) and
remembered in `UNAVAILABLE`, which /readyz reports with the scenarios disabled at start-up. Only
scenarios are guarded: core parts and domains are listed in settings and still stop start-up.
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
    found = []
    for app in local_scenario_apps(scenarios_dir):
        problem = _import_problem(app)
        if problem:
            UNAVAILABLE[app] = problem
        else:
            found.append(app)
    for app in installed_scenario_apps():
        if app in found or app in UNAVAILABLE:
            continue
        problem = _missing(app) or _import_problem(app)
        if problem:
            UNAVAILABLE[app] = problem
        else:
            found.append(app)
    return found


def _import_problem(app: str) -> str:
    """Why Django could not import the scenario's package or its apps.py ("" when it can)."""
    try:
        try:
            spec = importlib.util.find_spec(app)
        except ModuleNotFoundError:  # an AppConfig's dotted path: its parent is not a package
            spec = None
        if spec is None:
            importlib.import_module(app.rpartition(".")[0])
        else:
            importlib.import_module(app)
            if spec.submodule_search_locations is not None and importlib.util.find_spec(f"{app}.apps"):
                importlib.import_module(f"{app}.apps")
    except Exception as exc:  # whatever a broken scenario raises, the platform starts without it
        return f"scenario {app!r} cannot be imported ({type(exc).__name__}: {exc})"
    return ""


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

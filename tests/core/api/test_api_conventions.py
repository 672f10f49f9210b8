"""The API layer's conventions, checked over every app's `api/` package: one serializer naming
(`<Model>Input` / `<Model>Output`), lists in keyset pages by default, filters as FilterSets
rather than query parameters read by hand in a view."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from rest_framework import serializers

from core.api.pagination import KeysetPagination

ROOT = Path(settings.BASE_DIR)
# Bases and nested pieces that are not an endpoint's input or output.
NOT_ENDPOINT_SERIALIZERS = {"StrictSerializer"}
# Accounts' serializers change in parallel (role choices); renamed once that work has landed.
PENDING_RENAME = {"core.accounts.api.serializers", "core.accounts.api.views"}
HAND_READ = re.compile(r"query_params(\.get\(|\[)")


def project_apps():
    """Every installed app of this project (core's, the domains', the scenarios')."""
    return [config for config in apps.get_app_configs() if Path(config.path).is_relative_to(ROOT)]


def api_modules():
    packages = ["core.api"]  # the platform's own API pieces, not an app
    for config in project_apps():
        if (Path(config.path) / "api" / "__init__.py").exists():
            packages.append(f"{config.name}.api")
    for name in packages:
        package = importlib.import_module(name)
        for info in pkgutil.iter_modules(package.__path__, prefix=f"{package.__name__}."):
            yield importlib.import_module(info.name)


def serializers_defined_in(module):
    for name, value in vars(module).items():
        if (
            inspect.isclass(value)
            and issubclass(value, serializers.BaseSerializer)
            and value.__module__ == module.__name__
        ):
            yield name


def misnamed(name: str) -> bool:
    return name not in NOT_ENDPOINT_SERIALIZERS and not name.endswith(("Input", "Output"))


def test_serializers_are_named_input_or_output():
    modules = list(api_modules())
    assert {"affairs.api.serializers", "core.api.serializers"} <= {m.__name__ for m in modules}
    found = [
        f"{module.__name__}.{name}"
        for module in modules
        if module.__name__ not in PENDING_RENAME
        for name in serializers_defined_in(module)
        if misnamed(name)
    ]
    assert not found, f"name each serializer <Model>Input or <Model>Output: {found}"
    assert misnamed("TicketSerializer") and not misnamed("TicketOutput")


def test_keyset_pagination_is_the_default_for_every_list():
    assert settings.REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"] == "core.api.pagination.KeysetPagination"
    from rest_framework.settings import api_settings

    assert issubclass(api_settings.DEFAULT_PAGINATION_CLASS, KeysetPagination)


def test_views_do_not_read_query_parameters_by_hand():
    """Filters are FilterSets in the app's filters.py; other parameters go through a serializer."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for config in project_apps()
        for path in sorted((Path(config.path) / "api").glob("views*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if HAND_READ.search(line)
    ]
    assert not found, f"query parameters read by hand: {found}"
    assert HAND_READ.search('region = request.query_params.get("region")')

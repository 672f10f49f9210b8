"""Collects what every PlatformAppConfig declares, and refuses a broken declaration at start-up."""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from core.extensions.contributions import CONTRIBUTION_KINDS, KEY_PATTERN, Contribution, PeriodicTask


class PlatformAppConfig(Protocol):
    """What the registry reads of an app's config (core.extensions.appconfig.PlatformAppConfig,
    which loads itself here: the registry does not import it back)."""

    name: str
    label: str
    part: str
    api_prefix: str | None
    websocket_urls: str | None


API_PREFIX_PATTERN = KEY_PATTERN


@dataclass(frozen=True)
class ApiPart:
    prefix: str
    urls_module: str
    app_label: str
    verbose_name: str
    part: str


class Registry:
    def __init__(self) -> None:
        self._items: dict[str, dict[str, tuple[str, Contribution]]] = {k: {} for k in CONTRIBUTION_KINDS}
        self._api_parts: dict[str, ApiPart] = {}
        self._websocket_modules: list[str] = []
        self._loaded: set[str] = set()

    # loading -----------------------------------------------------------------------------

    def load(self, app_config: PlatformAppConfig) -> None:
        label = app_config.label
        if label in self._loaded:
            return
        if app_config.part not in {"core", "domain", "scenario"}:
            raise ImproperlyConfigured(f"App {label!r}: part must be core, domain or scenario")
        if app_config.api_prefix:
            self._load_api(app_config)
        if app_config.websocket_urls:
            self._require_module(label, app_config.websocket_urls, "websocket_urlpatterns")
            self._websocket_modules.append(app_config.websocket_urls)
        module = self._optional_module(f"{app_config.name}.contributions")
        if module is not None:
            declared = getattr(module, "CONTRIBUTIONS", None)
            if declared is None:
                raise ImproperlyConfigured(f"App {label!r}: {module.__name__} defines no CONTRIBUTIONS list")
            for item in declared:
                self.add(label, item)
        self._loaded.add(label)

    def _load_api(self, app_config: PlatformAppConfig) -> None:
        prefix = app_config.api_prefix
        if not API_PREFIX_PATTERN.match(prefix.replace("-", "_").replace("/", ".")):
            raise ImproperlyConfigured(
                f"App {app_config.label!r}: api_prefix {prefix!r} is not a valid prefix"
            )
        if prefix in self._api_parts:
            other = self._api_parts[prefix].app_label
            raise ImproperlyConfigured(
                f"App {app_config.label!r}: api_prefix {prefix!r} is already served by {other!r}"
            )
        urls_module = f"{app_config.name}.api.urls"
        self._require_module(app_config.label, urls_module, "urlpatterns")
        self._api_parts[prefix] = ApiPart(
            prefix=prefix,
            urls_module=urls_module,
            app_label=app_config.label,
            verbose_name=str(app_config.verbose_name),
            part=app_config.part,
        )

    def add(self, app_label: str, item: Contribution) -> None:
        kind = getattr(item, "kind", None)
        if kind not in CONTRIBUTION_KINDS or not isinstance(item, CONTRIBUTION_KINDS[kind]):
            raise ImproperlyConfigured(f"App {app_label!r}: {item!r} is not a known kind of contribution")
        if not KEY_PATTERN.match(item.key or ""):
            raise ImproperlyConfigured(
                f"App {app_label!r}: {kind} key {item.key!r} must be lowercase words joined by . or _"
            )
        existing = self._items[kind].get(item.key)
        if existing is not None:
            raise ImproperlyConfigured(
                f"App {app_label!r}: {kind} key {item.key!r} is already declared by app {existing[0]!r}"
            )
        problems = item.problems()
        if problems:
            raise ImproperlyConfigured(f"App {app_label!r}: {kind} {item.key!r}: {'; '.join(problems)}")
        for attribute in item.dotted_paths:
            path = getattr(item, attribute)
            try:
                import_string(path)
            except ImportError as exc:
                raise ImproperlyConfigured(
                    f"App {app_label!r}: {kind} {item.key!r} names {attribute}={path!r}, "
                    f"which cannot be imported ({exc})"
                ) from None
        self._items[kind][item.key] = (app_label, item)

    @staticmethod
    def _optional_module(name: str):
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if _is_missing(name, exc):
                return None
            raise

    @staticmethod
    def _require_module(app_label: str, name: str, attribute: str):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if not _is_missing(name, exc):
                raise
            raise ImproperlyConfigured(f"App {app_label!r} declares {name}, which does not exist") from None
        if not hasattr(module, attribute):
            raise ImproperlyConfigured(f"App {app_label!r}: {name} has no {attribute}")
        return module

    @contextmanager
    def temporarily(self, app_label: str, *items: Contribution):
        """Declare contributions for the duration of a block (tests of plugins and engines)."""
        for item in items:
            self.add(app_label, item)
        try:
            yield
        finally:
            for item in items:
                self._items[item.kind].pop(item.key, None)

    # reading -----------------------------------------------------------------------------

    def items(self, kind: str) -> list[Contribution]:
        return [item for _label, item in self._items[kind].values()]

    def get(self, kind: str, key: str) -> Contribution:
        return self._items[kind][key][1]

    def owner(self, kind: str, key: str) -> str:
        return self._items[kind][key][0]

    def periodic_tasks(self) -> list[PeriodicTask]:
        return self.items(PeriodicTask.kind)

    def api_parts(self) -> list[ApiPart]:
        return sorted(self._api_parts.values(), key=lambda part: part.prefix)

    def websocket_routes(self) -> list:
        routes: list = []
        for name in self._websocket_modules:
            routes.extend(importlib.import_module(name).websocket_urlpatterns)
        return routes


def _is_missing(name: str, exc: ModuleNotFoundError) -> bool:
    """The module itself (or a package on its path) is absent, not something it imports."""
    return bool(exc.name) and (name == exc.name or name.startswith(exc.name + "."))


registry = Registry()

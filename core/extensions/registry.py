"""Collects what every PlatformAppConfig declares, and refuses a broken declaration at start-up."""

from __future__ import annotations

import importlib
import logging
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
# How much of a disabled scenario's error /readyz repeats.
REASON_MAX_LENGTH = 500

logger = logging.getLogger(__name__)


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
        self._websocket_modules: dict[str, str] = {}  # app label -> module
        self._loaded: set[str] = set()
        # Bumped whenever a contribution is added or removed: readers that derive tables from the
        # registry (core.accounts.roles) rebuild them when it changes.
        self.generation = 0
        self._disabled: dict[str, str] = {}  # scenario app label -> why it is disabled
        self._scenarios: set[str] = set()  # labels of the scenario apps loaded
        self._scenario_configs: dict = {}  # scenario key -> its ScenarioAppConfig, once started

    # loading -----------------------------------------------------------------------------

    def load(self, app_config: PlatformAppConfig) -> None:
        """Collect what the app declares. A broken core part or domain stops start-up; a broken
        scenario is disabled instead (nothing of it registered) and the platform starts without it."""
        label = app_config.label
        if label in self._loaded or label in self._disabled:
            return
        if app_config.part not in {"core", "domain", "scenario"}:
            raise ImproperlyConfigured(f"App {label!r}: part must be core, domain or scenario")
        if app_config.part != "scenario":
            self._load(app_config)
            return
        self._scenarios.add(label)
        try:
            self._load(app_config)
            self._check_scenario_contract(app_config)
        except Exception as exc:
            self.disable_scenario(label, exc)
            return
        self._scenario_configs[label] = app_config

    @staticmethod
    def _check_scenario_contract(app_config) -> None:
        from core.extensions.scenario_contract import contract_problems

        problems = contract_problems(app_config)
        if problems:
            raise ImproperlyConfigured(f"Scenario {app_config.label!r}: {'; '.join(problems)}")

    def disable_scenario(self, app_label: str, error: BaseException) -> None:
        """Forget everything the scenario registered, and remember why (reported by /readyz)."""
        for items in self._items.values():
            for key in [key for key, (owner, _item) in items.items() if owner == app_label]:
                del items[key]
        for prefix in [prefix for prefix, part in self._api_parts.items() if part.app_label == app_label]:
            del self._api_parts[prefix]
        self._websocket_modules.pop(app_label, None)
        self._loaded.discard(app_label)
        self._scenario_configs.pop(app_label, None)
        self.generation += 1
        reason = str(error) if isinstance(error, ImproperlyConfigured) else f"{type(error).__name__}: {error}"
        self._disabled[app_label] = reason[:REASON_MAX_LENGTH]
        logger.error(
            "Scenario %r is disabled, the platform starts without it: %s",
            app_label,
            reason,
            exc_info=(type(error), error, error.__traceback__),
        )

    def _load(self, app_config: PlatformAppConfig) -> None:
        label = app_config.label
        if app_config.api_prefix:
            self._load_api(app_config)
        if app_config.websocket_urls:
            self._require_module(label, app_config.websocket_urls, "websocket_urlpatterns")
            self._websocket_modules[label] = app_config.websocket_urls
        module = self._optional_module(
            getattr(app_config, "contributions_module", None) or f"{app_config.name}.contributions"
        )
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
        key = item.key if isinstance(item.key, str) else ""
        if not key.startswith(f"{app_label}.") or not KEY_PATTERN.match(key):
            raise ImproperlyConfigured(
                f"App {app_label!r}: {kind} key {item.key!r} must be {app_label!r} followed by a dot "
                "and a name (lowercase words joined by . or _)"
            )
        if isinstance(item, PeriodicTask) and not str(item.task).startswith(f"{app_label}."):
            raise ImproperlyConfigured(
                f"App {app_label!r}: {kind} {item.key!r} runs the Celery task {item.task!r}, whose name "
                f"must be {app_label!r} followed by a dot and a name, like its key"
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
            if not path and attribute in getattr(item, "optional_paths", ()):
                continue
            try:
                import_string(path)
            except ImportError as exc:
                raise ImproperlyConfigured(
                    f"App {app_label!r}: {kind} {item.key!r} names {attribute}={path!r}, "
                    f"which cannot be imported ({exc})"
                ) from None
        self._items[kind][item.key] = (app_label, item)
        self.generation += 1

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
            self.generation += 1

    # reading -----------------------------------------------------------------------------

    def items(self, kind: str) -> list[Contribution]:
        return [item for _label, item in self._items[kind].values()]

    def get(self, kind: str, key: str) -> Contribution:
        return self._items[kind][key][1]

    def has(self, kind: str, key: str) -> bool:
        return key in self._items[kind]

    def owner(self, kind: str, key: str) -> str:
        return self._items[kind][key][0]

    def disabled_scenarios(self) -> dict[str, str]:
        """Scenario -> why start-up disabled it: an app label, or an entry point whose module
        could not be found (core.extensions.discovery, so never installed)."""
        from core.extensions.discovery import UNAVAILABLE

        return {**UNAVAILABLE, **self._disabled}

    def scenarios(self) -> list:
        """The ScenarioAppConfigs of the scenarios that started, by key."""
        return [self._scenario_configs[key] for key in sorted(self._scenario_configs)]

    def scenario(self, key: str):
        """The started scenario with this key, or None (not installed, or disabled at start-up)."""
        return self._scenario_configs.get(key)

    def periodic_tasks(self) -> list[PeriodicTask]:
        return self.items(PeriodicTask.kind)

    def api_parts(self) -> list[ApiPart]:
        return sorted(self._api_parts.values(), key=lambda part: part.prefix)

    def websocket_routes(self) -> list:
        routes: list = []
        for name in self._websocket_modules.values():
            routes.extend(importlib.import_module(name).websocket_urlpatterns)
        return routes

    # once every app is loaded ----------------------------------------------------------------

    def reference_problems(self) -> list[str]:
        """Contributions naming a role or permission nobody declared. Checked once every app is
        loaded (core.accounts.checks), since one app's declaration may name another's. A scenario
        naming one is disabled instead (named by /readyz), like any other start-up error of it."""
        while True:
            found = self._reference_problems()
            broken = {label for label, _problem in found if label in self._scenarios}
            if not broken:
                return [problem for _label, problem in found]
            for label in broken:
                reasons = "; ".join(problem for owner, problem in found if owner == label)
                self.disable_scenario(label, ImproperlyConfigured(reasons))

    def _reference_problems(self) -> list[tuple[str, str]]:
        from core.extensions.contributions import EventType, Permission, RoleDefinition

        roles = self._items[RoleDefinition.kind]
        permissions = self._items[Permission.kind]
        found = []
        for label, permission in permissions.values():
            for role in permission.roles:
                if role not in roles:
                    found.append(
                        (
                            label,
                            f"App {label!r}: permission {permission.key!r} names role {role!r}, "
                            "which no app declares",
                        )
                    )
        for label, role in roles.values():
            for name in role.permissions:
                if name not in permissions:
                    found.append(
                        (
                            label,
                            f"App {label!r}: role {role.key!r} names permission {name!r}, "
                            "which no app declares",
                        )
                    )
            for grantor in role.granted_by:
                if grantor not in roles:
                    found.append(
                        (
                            label,
                            f"App {label!r}: role {role.key!r} is granted by {grantor!r}, "
                            "which no app declares",
                        )
                    )
        for label, event_type in self._items[EventType.kind].values():
            if event_type.handler_role not in roles:
                found.append(
                    (
                        label,
                        f"App {label!r}: event type {event_type.key!r} names handler_role "
                        f"{event_type.handler_role!r}, which no app declares",
                    )
                )
        return found


def _is_missing(name: str, exc: ModuleNotFoundError) -> bool:
    """The module itself (or a package on its path) is absent, not something it imports."""
    return bool(exc.name) and (name == exc.name or name.startswith(exc.name + "."))


registry = Registry()

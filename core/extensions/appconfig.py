from __future__ import annotations

import functools

from django.apps import AppConfig


class PlatformAppConfig(AppConfig):
    """Base config of every platform app: core parts, the six domains and the scenarios.

    Declarations, all optional, found at fixed places:
    - `api_prefix`: the app serves `<module>.api.urls` at `/api/v1/<api_prefix>/`;
    - `websocket_urls`: a module with `websocket_urlpatterns`, mounted under `/ws/`;
    - `<module>.contributions.CONTRIBUTIONS`: event types, metrics, timeline providers,
      periodic tasks, notice kinds and tag kinds, each keyed `<app label>.<name>`.

    A scenario's start-up error (a broken declaration, or its own `ready()` raising) disables
    the scenario instead of stopping the platform; see `Registry.load`.
    """

    default_auto_field = "django.db.models.BigAutoField"
    # Apps import this class into their apps.py; without this Django would see two configs there
    # and silently fall back to a plain AppConfig. Subclasses are the default again.
    default = False
    part: str = "core"  # "core", "domain" or "scenario"
    api_prefix: str | None = None
    # Where CONTRIBUTIONS is declared, when not `<module>.contributions` (core.extensions itself,
    # whose contributions module defines the kinds).
    contributions_module: str | None = None
    websocket_urls: str | None = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True
        if "ready" in cls.__dict__:
            cls.ready = _scenario_errors_disable(cls.__dict__["ready"])

    def ready(self) -> None:
        from core.extensions.registry import registry

        registry.load(self)


def _scenario_errors_disable(ready):
    """Wrap an app's own ready(): in a scenario, an error disables the scenario (reported by
    /readyz) rather than stopping start-up. Core parts and domains are unchanged."""

    @functools.wraps(ready)
    def guarded(self: PlatformAppConfig) -> None:
        # Only the outermost ready() of a scenario guards (a subclass calling super().ready()).
        if self.part != "scenario" or getattr(self, "_ready_guarded", False):
            return ready(self)
        from core.extensions.registry import registry

        self._ready_guarded = True
        try:
            ready(self)
        except Exception as exc:
            registry.disable_scenario(self.label, exc)
        finally:
            self._ready_guarded = False

    return guarded


class ScenarioAppConfig(PlatformAppConfig):
    """The base config of a scenario app (part "scenario"); the app label is the scenario key."""

    default = False
    part = "scenario"
    names: dict[str, str] = {}
    domain: str = ""
    version: str = ""
    platform_versions: str = ""
    settings_schema: tuple = ()  # core.extensions.scenario_contract.Setting

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    @property
    def scenario_key(self) -> str:
        return self.label

    def setting(self, name: str):
        return next((s for s in self.settings_schema if s.name == name), None)

    def defaults(self) -> dict:
        return {s.name: s.clean(s.default) for s in self.settings_schema}

    def display_name(self, language: str) -> str:
        return self.names.get("en" if language.startswith("en") else "zh-hans") or self.label

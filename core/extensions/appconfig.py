from __future__ import annotations

from django.apps import AppConfig


class PlatformAppConfig(AppConfig):
    """Base config of every platform app: core parts, the six domains and the scenarios.

    Declarations, all optional, found at fixed places:
    - `api_prefix`: the app serves `<module>.api.urls` at `/api/v1/<api_prefix>/`;
    - `websocket_urls`: a module with `websocket_urlpatterns`, mounted under `/ws/`;
    - `<module>.contributions.CONTRIBUTIONS`: event types, metrics, timeline providers,
      periodic tasks, notice kinds and tag kinds.
    """

    default_auto_field = "django.db.models.BigAutoField"
    # Apps import this class into their apps.py; without this Django would see two configs there
    # and silently fall back to a plain AppConfig. Subclasses are the default again.
    default = False
    part: str = "core"  # "core", "domain" or "scenario"
    api_prefix: str | None = None
    websocket_urls: str | None = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def ready(self) -> None:
        from core.extensions.registry import registry

        registry.load(self)

import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("core.extensions.registry")


class ExtensionsConfig(AppConfig):
    name = "core.extensions"
    label = "extensions"
    verbose_name = _("Extensions")

    def ready(self) -> None:
        from core.extensions.discovery import UNAVAILABLE

        for app, reason in UNAVAILABLE.items():
            logger.error("Scenario %r is disabled, the platform starts without it: %s", app, reason)

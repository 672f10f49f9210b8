import logging

from django.utils.translation import gettext_lazy as _

from core.extensions.appconfig import PlatformAppConfig

logger = logging.getLogger("core.extensions.registry")


class ExtensionsConfig(PlatformAppConfig):
    name = "core.extensions"
    label = "extensions"
    verbose_name = _("Extensions")
    contributions_module = "core.extensions.declared"
    # /api/v1/scenarios/: the scenarios and their state and settings per place; each scenario
    # serves its own resources below it, at scenarios/<key>/.
    api_prefix = "scenarios"

    def ready(self) -> None:
        super().ready()
        from core.api.validators import install_input_validators
        from core.extensions.discovery import UNAVAILABLE

        # No control character in any text input, no integer beyond the database's (issue 13).
        install_input_validators()

        for app, reason in UNAVAILABLE.items():
            logger.error("Scenario %r is disabled, the platform starts without it: %s", app, reason)

from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class HealthConfig(PlatformAppConfig):
    name = "core.health"
    label = "health"
    verbose_name = _("Health")
    websocket_urls = "core.health.routing"

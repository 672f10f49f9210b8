from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class RegistryConfig(PlatformAppConfig):
    name = "core.registry"
    label = "registry"
    verbose_name = _("Community management")
    api_prefix = "registry"

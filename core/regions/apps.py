from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class RegionsConfig(PlatformAppConfig):
    name = "core.regions"
    label = "regions"
    verbose_name = _("Regions")
    api_prefix = "regions"

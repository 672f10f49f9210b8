from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class ImportsConfig(PlatformAppConfig):
    name = "core.imports"
    label = "imports"
    verbose_name = _("Imports and exports")

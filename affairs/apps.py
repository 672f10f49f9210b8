from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class AffairsConfig(PlatformAppConfig):
    name = "affairs"
    verbose_name = _("Government affairs")
    part = "domain"

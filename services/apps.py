from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class ServicesConfig(PlatformAppConfig):
    name = "services"
    verbose_name = _("Community services")
    part = "domain"

from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class SafetyConfig(PlatformAppConfig):
    name = "safety"
    verbose_name = _("Community safety")
    part = "domain"

from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class AuditConfig(PlatformAppConfig):
    name = "core.audit"
    label = "audit"
    verbose_name = _("Audit log")
    api_prefix = "audit"

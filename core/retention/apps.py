from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class RetentionConfig(PlatformAppConfig):
    name = "core.retention"
    label = "retention"
    verbose_name = _("Retention of personal data")

from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class SafetyConfig(PlatformAppConfig):
    name = "safety"
    verbose_name = _("Community safety")
    part = "domain"
    api_prefix = "safety"

    def ready(self) -> None:
        super().ready()
        # Offline detection, reminders and missed contacts run as tasks in every process.
        from safety import tasks  # noqa: F401

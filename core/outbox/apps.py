from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class OutboxConfig(PlatformAppConfig):
    name = "core.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        super().ready()
        # Registers the tasks in every process (web too), so the outbox can run them in-process.
        from core.outbox import tasks  # noqa: F401

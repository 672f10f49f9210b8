from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class NoticesConfig(PlatformAppConfig):
    name = "core.notices"
    label = "notices"
    verbose_name = _("Notices")
    api_prefix = "notices"
    websocket_urls = "core.notices.routing"

    def ready(self) -> None:
        super().ready()
        # Registers the tasks in every process (web too), so the outbox can run them in-process.
        from core.notices import tasks  # noqa: F401

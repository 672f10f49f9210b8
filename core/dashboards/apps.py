from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class DashboardsConfig(PlatformAppConfig):
    name = "core.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")
    api_prefix = "dashboards"
    websocket_urls = "core.dashboards.routing"

    def ready(self) -> None:
        super().ready()
        # Registers the tasks in every process (web too), so the outbox can run them in-process,
        # and connects the declared sources of every metric (core.dashboards.changes).
        from core.dashboards import changes, tasks  # noqa: F401

        changes.connect_sources()

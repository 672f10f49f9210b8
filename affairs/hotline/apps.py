from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class HotlineConfig(PlatformAppConfig):
    """The 12345 hotline adapter: an app of its own inside affairs, so a city that does not
    connect its hotline centre leaves it out of INSTALLED_APPS."""

    name = "affairs.hotline"
    label = "hotline"
    verbose_name = _("12345 hotline")
    part = "domain"
    api_prefix = "hotline"

    def ready(self) -> None:
        super().ready()
        # Registers the delivery task in every process, so the outbox can run it in-process.
        from affairs.hotline import tasks  # noqa: F401

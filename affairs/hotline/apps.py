import sys

from django.conf import settings
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
        check_reply_url()
        # Registers the delivery task in every process, so the outbox can run it in-process.
        from affairs.hotline import tasks  # noqa: F401


def check_reply_url() -> None:
    """A reply URL that is not https in production stops start-up with one clear line (as
    config/settings.py does with a ConfigError), rather than failing every delivery later."""
    from affairs.hotline.delivery import reply_url_problem

    problem = reply_url_problem(settings.HOTLINE_REPLY_URL, production=getattr(settings, "PRODUCTION", False))
    if problem:
        sys.exit(f"smartcommunity: configuration error: {problem}")

from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class ServicesConfig(PlatformAppConfig):
    name = "services"
    verbose_name = _("Community services")
    part = "domain"
    api_prefix = "services"

    def ready(self) -> None:
        super().ready()
        # Volunteers and open cases follow the register (a resident who leaves).
        from services import receivers  # noqa: F401

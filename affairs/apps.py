from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class AffairsConfig(PlatformAppConfig):
    name = "affairs"
    verbose_name = _("Government affairs")
    part = "domain"
    api_prefix = "affairs"

    def ready(self) -> None:
        super().ready()
        # Benefits follow the register (death, move-out); the task is registered in every process.
        from affairs import receivers, tasks  # noqa: F401

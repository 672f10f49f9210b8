from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class PartyBuildingConfig(PlatformAppConfig):
    name = "party_building"
    verbose_name = _("Party building")
    part = "domain"
    api_prefix = "party-building"

    def ready(self) -> None:
        super().ready()
        # The periodic check of meetings is registered in every process.
        from party_building import tasks  # noqa: F401

from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class PartyBuildingConfig(PlatformAppConfig):
    name = "party_building"
    verbose_name = _("Party building")
    part = "domain"

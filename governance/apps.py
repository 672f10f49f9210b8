"""社区共治 (Co-governance): one of the six domains."""

from django.utils.translation import gettext_lazy as _

from core.extensions import PlatformAppConfig


class GovernanceConfig(PlatformAppConfig):
    name = "governance"
    verbose_name = _("Co-governance")
    part = "domain"
    api_prefix = "governance"

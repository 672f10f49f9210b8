"""What core.extensions itself contributes (its `contributions` module defines the kinds)."""

from django.utils.translation import gettext_lazy as _

from core.extensions.contributions import AuditAction

CONTRIBUTIONS = [
    AuditAction(key="extensions.scenario.enable", name=_("Scenario enabled for a place")),
    AuditAction(key="extensions.scenario.disable", name=_("Scenario disabled for a place")),
]

"""What core.extensions itself contributes (its `contributions` module defines the kinds)."""

from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions.contributions import AuditAction, Permission

CONTRIBUTIONS = [
    AuditAction(key="extensions.scenario.enable", name=_("Scenario enabled for a place")),
    AuditAction(key="extensions.scenario.disable", name=_("Scenario disabled for a place")),
    AuditAction(key="extensions.scenario.settings", name=_("Scenario settings changed for a place")),
    Permission(
        key="extensions.view_scenarios",
        label=_("See the scenarios and their state at one's places"),
        roles=(
            Role.GRID_WORKER,
            Role.COMMUNITY_WORKER,
            Role.COMMUNITY_SECRETARY,
            Role.STREET_STAFF,
            Role.DISTRICT_STAFF,
            Role.SYSTEM_ADMIN,
        ),
    ),
]

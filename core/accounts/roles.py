"""Roles and what each may do: data, not checks scattered through views.

A role is held at a node of the region tree (RoleAssignment) and reaches that node's subtree.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.models import Region


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    GRID_WORKER = "grid_worker", _("Grid worker")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    COMMUNITY_SECRETARY = "community_secretary", _("Community secretary")
    STREET_STAFF = "street_staff", _("Street or town staff")
    DISTRICT_STAFF = "district_staff", _("District staff")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


STAFF_ROLES = frozenset(
    {
        Role.GRID_WORKER,
        Role.COMMUNITY_WORKER,
        Role.COMMUNITY_SECRETARY,
        Role.STREET_STAFF,
        Role.DISTRICT_STAFF,
    }
)
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# The levels of the region tree at which each role may be held.
ROLE_LEVELS: dict[str, frozenset[int]] = {
    Role.RESIDENT: frozenset({Region.Level.COMMUNITY, Region.Level.GRID}),
    Role.GRID_WORKER: frozenset({Region.Level.GRID}),
    Role.COMMUNITY_WORKER: frozenset({Region.Level.COMMUNITY}),
    Role.COMMUNITY_SECRETARY: frozenset({Region.Level.COMMUNITY}),
    Role.STREET_STAFF: frozenset({Region.Level.STREET}),
    Role.DISTRICT_STAFF: frozenset({Region.Level.DISTRICT}),
    Role.SYSTEM_ADMIN: frozenset({Region.Level.CITY, Region.Level.DISTRICT}),
    Role.SECURITY_ADMIN: frozenset({Region.Level.CITY, Region.Level.DISTRICT}),
    Role.AUDIT_ADMIN: frozenset({Region.Level.CITY, Region.Level.DISTRICT}),
}

# What each role may do within its subtree. Permission names are "<part>.<action>".
_REGISTER_READ = {"registry.view"}
_REGISTER_WRITE = {"registry.change", "registry.import", "registry.export"}
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.RESIDENT: frozenset({"registry.view_own"}),
    Role.GRID_WORKER: frozenset(_REGISTER_READ | _REGISTER_WRITE),
    Role.COMMUNITY_WORKER: frozenset(
        _REGISTER_READ | _REGISTER_WRITE | {"registry.reveal", "registry.transfer"}
    ),
    Role.COMMUNITY_SECRETARY: frozenset(
        _REGISTER_READ | _REGISTER_WRITE | {"registry.reveal", "registry.transfer", "accounts.manage"}
    ),
    Role.STREET_STAFF: frozenset(
        _REGISTER_READ | {"registry.export", "registry.transfer", "accounts.manage"}
    ),
    Role.DISTRICT_STAFF: frozenset(_REGISTER_READ | {"registry.export", "accounts.manage"}),
    Role.SYSTEM_ADMIN: frozenset({"accounts.manage", "config.manage"}),
    Role.SECURITY_ADMIN: frozenset({"accounts.grant", "security.manage"}),
    Role.AUDIT_ADMIN: frozenset({"audit.view", "audit.export"}),
}

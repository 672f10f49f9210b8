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
# The three separated administrators (三权分立): one account never holds two of them.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Roles above the community: they sign in with a second factor (TOTP). Settings can extend the
# rule to every staff role (SECURITY_TOTP_FOR_ALL_STAFF).
TWO_FACTOR_ROLES = frozenset({Role.STREET_STAFF, Role.DISTRICT_STAFF, *ADMIN_ROLES})

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

# Which roles a holder of each role may grant (with "accounts.grant"), always inside its own
# subtree: its own level or below, never above. The security administrator grants every role,
# the administrators included; local staff grant the roles of their own office and below.
_COMMUNITY_GRANTS = {Role.RESIDENT, Role.GRID_WORKER, Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY}
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.COMMUNITY_SECRETARY: frozenset(_COMMUNITY_GRANTS),
    Role.STREET_STAFF: frozenset(_COMMUNITY_GRANTS | {Role.STREET_STAFF}),
    Role.DISTRICT_STAFF: frozenset(_COMMUNITY_GRANTS | {Role.STREET_STAFF, Role.DISTRICT_STAFF}),
    Role.SECURITY_ADMIN: frozenset(Role.values),
}

# What each role may do within its subtree. Permission names are "<part>.<action>".
# accounts.view: list staff accounts and their roles; accounts.manage: create, deactivate and
# reset the password of accounts; accounts.grant: grant and end roles (see GRANTABLE_ROLES).
_REGISTER_READ = {"registry.view"}
_REGISTER_WRITE = {"registry.change", "registry.import", "registry.export"}
_LOCAL_ADMIN = {"accounts.view", "accounts.manage", "accounts.grant"}
# Events and work orders (core.workflow): who may act on one is decided by the state machine.
_EVENTS = {"events.view", "events.report", "events.handle"}
# Government affairs (affairs/): affairs.apply is applying (a resident for their household, a
# worker on a resident's behalf, 代办); affairs.handle is taking an application's steps, each at
# the level its item configures; affairs.configure edits the catalogue and the standards.
# hotline.* is the 12345 adapter: routing tickets whose address did not resolve, importing a
# batch, approving a 退单 (bounce back to the hotline centre).
_AFFAIRS_WORKER = {"affairs.view", "affairs.apply", "affairs.handle", "hotline.view"}
_AFFAIRS_OFFICE = {"affairs.view", "affairs.handle", "hotline.view", "hotline.route", "hotline.import"}
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.RESIDENT: frozenset(
        {"registry.view_own", "events.report", "events.view_own", "affairs.view_own", "affairs.apply"}
    ),
    Role.GRID_WORKER: frozenset(
        _REGISTER_READ | _REGISTER_WRITE | _EVENTS | {"affairs.view", "affairs.apply", "hotline.view"}
    ),
    Role.COMMUNITY_WORKER: frozenset(
        _REGISTER_READ
        | _REGISTER_WRITE
        | {"registry.reveal", "registry.transfer"}
        | _EVENTS
        | _AFFAIRS_WORKER
    ),
    Role.COMMUNITY_SECRETARY: frozenset(
        _REGISTER_READ
        | _REGISTER_WRITE
        | {"registry.reveal", "registry.transfer"}
        | _LOCAL_ADMIN
        | _EVENTS
        | _AFFAIRS_WORKER
        | {"hotline.approve_bounce"}
    ),
    Role.STREET_STAFF: frozenset(
        _REGISTER_READ
        | {"registry.export", "registry.transfer"}
        | _LOCAL_ADMIN
        | _EVENTS
        | _AFFAIRS_OFFICE
        | {"hotline.approve_bounce"}
    ),
    Role.DISTRICT_STAFF: frozenset(
        _REGISTER_READ
        | {"registry.export"}
        | _LOCAL_ADMIN
        | _EVENTS
        | _AFFAIRS_OFFICE
        | {"hotline.approve_bounce", "affairs.configure"}
    ),
    Role.SYSTEM_ADMIN: frozenset({"accounts.view", "accounts.manage", "config.manage"}),
    Role.SECURITY_ADMIN: frozenset({"accounts.view", "accounts.grant", "security.manage"}),
    Role.AUDIT_ADMIN: frozenset({"audit.view", "audit.export"}),
}


def role_grants(grantor_role: str, role: str) -> bool:
    return role in GRANTABLE_ROLES.get(grantor_role, frozenset())

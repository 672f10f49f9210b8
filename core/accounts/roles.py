"""Roles and what each may do, read from the apps' declarations (RoleDefinition, Permission).

A role is held at a node of the region tree (RoleAssignment) and reaches that node's subtree.
core.accounts declares the platform's base roles (core/accounts/contributions.py); every app
declares its own permissions, naming the roles that hold them by default, and may declare roles
of its own (a branch secretary, a provider's staff). Nothing here lists every role: the registry
does, and a name nobody declared is refused at start-up (core.accounts.checks) and at call time
(`require_permission`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from core.extensions.contributions import Permission, RoleDefinition
from core.extensions.registry import registry


class Role:
    """Readable names of core's own role keys (declared in core/accounts/contributions.py).

    Not a list of all roles: domains declare theirs; `role_keys()` lists what is declared."""

    RESIDENT = "accounts.resident"
    GRID_WORKER = "accounts.grid_worker"
    COMMUNITY_WORKER = "accounts.community_worker"
    COMMUNITY_SECRETARY = "accounts.community_secretary"
    STREET_STAFF = "accounts.street_staff"
    DISTRICT_STAFF = "accounts.district_staff"
    # The three separated administrators (三权分立): one account never holds two of them.
    SYSTEM_ADMIN = "accounts.system_admin"
    SECURITY_ADMIN = "accounts.security_admin"
    AUDIT_ADMIN = "accounts.audit_admin"


# The administrator roles the database constraint keeps apart (RoleAssignment.Meta); services
# keep every role declared `admin=True` apart.
SEPARATED_ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


@dataclass(frozen=True)
class _Tables:
    generation: int
    roles: dict[str, RoleDefinition]
    permissions_by_role: dict[str, frozenset[str]]


_tables: _Tables | None = None


def _current() -> _Tables:
    """The role tables, rebuilt when the registry changes (tests declare roles temporarily)."""
    global _tables
    if _tables is None or _tables.generation != registry.generation:
        roles = {role.key: role for role in registry.items(RoleDefinition.kind)}
        held: dict[str, set[str]] = {key: set(role.permissions) for key, role in roles.items()}
        for permission in registry.items(Permission.kind):
            for role in permission.roles:
                held.setdefault(role, set()).add(permission.key)
        _tables = _Tables(
            generation=registry.generation,
            roles=roles,
            permissions_by_role={key: frozenset(names) for key, names in held.items()},
        )
    return _tables


# roles --------------------------------------------------------------------------------------


def role_keys() -> list[str]:
    return list(_current().roles)


def is_role(key: str) -> bool:
    return key in _current().roles


def role_definition(key: str) -> RoleDefinition:
    try:
        return _current().roles[key]
    except KeyError:
        raise ImproperlyConfigured(f"Role {key!r} is not declared by any app") from None


def role_choices() -> list[tuple[str, Any]]:
    """(key, label) of every declared role, for forms, the API schema and the admin."""
    return [(key, role.label) for key, role in _current().roles.items()]


def role_label(key: str) -> Any:
    """The role's label; the key itself for a role no longer declared (an app removed)."""
    role = _current().roles.get(key)
    return role.label if role else key


def role_levels(key: str) -> frozenset[int]:
    """The levels of the region tree where the role may be held."""
    return role_definition(key).levels


def staff_roles() -> frozenset[str]:
    return frozenset(key for key, role in _current().roles.items() if role.staff)


def admin_roles() -> frozenset[str]:
    return frozenset(key for key, role in _current().roles.items() if role.admin)


def two_factor_roles() -> frozenset[str]:
    return frozenset(key for key, role in _current().roles.items() if role.two_factor)


def reaches_subtree(key: str) -> bool:
    """False for the resident role, which reaches only the holder's own records."""
    role = _current().roles.get(key)
    return role is not None and role.subtree


def role_grants(grantor_role: str, role: str) -> bool:
    """Whether a holder of `grantor_role` (with "accounts.grant") may grant `role`, always inside
    its own subtree: its own level or below."""
    tables = _current()
    grantor = tables.roles.get(grantor_role)
    granted = tables.roles.get(role)
    if grantor is None or granted is None:
        return False
    return grantor.grants_every_role or grantor_role in granted.granted_by


# permissions --------------------------------------------------------------------------------


def permissions_of(role: str) -> frozenset[str]:
    """What a role may do within its subtree (nothing for a role no longer declared)."""
    return _current().permissions_by_role.get(role, frozenset())


def is_permission(key: str) -> bool:
    return registry.has(Permission.kind, key)


def require_permission(key: str) -> str:
    """The key, if an app declares it; a typo'd name would otherwise silently deny access."""
    if not registry.has(Permission.kind, key):
        raise ImproperlyConfigured(
            f"Permission {key!r} is not declared by any app (declare it as a Permission in the "
            "app's contributions.py)"
        )
    return key

"""What accounts contributes: the platform's base roles, the permissions of account administration,
the routes that answer before signing in, and the open work a role leaves behind.

Roles held at the region tree: residents and local staff (grid, community, street, district) and
the three separated administrators (三权分立). Domains declare roles of their own the same way.
"""

from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role
from core.extensions import AuditAction, NoticeKind, OpenWorkProvider, Permission, PublicRoute, RoleDefinition
from core.regions.models import Region

Level = Region.Level
# Community staff and everyone above them grant the community's roles, inside their own subtree.
_COMMUNITY_GRANTORS = (Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_STAFF)

ROLES = [
    RoleDefinition(
        key=Role.RESIDENT,
        label=_("Resident"),
        levels=frozenset({Level.COMMUNITY, Level.GRID}),
        subtree=False,
        granted_by=_COMMUNITY_GRANTORS,
    ),
    RoleDefinition(
        key=Role.GRID_WORKER,
        label=_("Grid worker"),
        levels=frozenset({Level.GRID}),
        staff=True,
        granted_by=_COMMUNITY_GRANTORS,
    ),
    RoleDefinition(
        key=Role.COMMUNITY_WORKER,
        label=_("Community worker"),
        levels=frozenset({Level.COMMUNITY}),
        staff=True,
        granted_by=_COMMUNITY_GRANTORS,
    ),
    RoleDefinition(
        key=Role.COMMUNITY_SECRETARY,
        label=_("Community secretary"),
        levels=frozenset({Level.COMMUNITY}),
        staff=True,
        granted_by=_COMMUNITY_GRANTORS,
    ),
    # Roles above the community sign in with a second factor (TOTP); settings can extend the rule
    # to every staff role (SECURITY_TOTP_FOR_ALL_STAFF).
    RoleDefinition(
        key=Role.STREET_STAFF,
        label=_("Street or town staff"),
        levels=frozenset({Level.STREET}),
        staff=True,
        two_factor=True,
        granted_by=(Role.STREET_STAFF, Role.DISTRICT_STAFF),
    ),
    RoleDefinition(
        key=Role.DISTRICT_STAFF,
        label=_("District staff"),
        levels=frozenset({Level.DISTRICT}),
        staff=True,
        two_factor=True,
        granted_by=(Role.DISTRICT_STAFF,),
    ),
    # The security administrator grants every role, the administrators included.
    RoleDefinition(
        key=Role.SYSTEM_ADMIN,
        label=_("System administrator"),
        levels=frozenset({Level.CITY, Level.DISTRICT}),
        admin=True,
        two_factor=True,
    ),
    RoleDefinition(
        key=Role.SECURITY_ADMIN,
        label=_("Security administrator"),
        levels=frozenset({Level.CITY, Level.DISTRICT}),
        admin=True,
        two_factor=True,
        grants_every_role=True,
    ),
    RoleDefinition(
        key=Role.AUDIT_ADMIN,
        label=_("Audit administrator"),
        levels=frozenset({Level.CITY, Level.DISTRICT}),
        admin=True,
        two_factor=True,
    ),
]

_LOCAL_ADMINS = (Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_STAFF)
PERMISSIONS = [
    Permission(
        key="accounts.view",
        label=_("List staff accounts and their roles"),
        roles=(*_LOCAL_ADMINS, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN),
    ),
    Permission(
        key="accounts.manage",
        label=_("Create and deactivate accounts, reset their passwords"),
        roles=(*_LOCAL_ADMINS, Role.SYSTEM_ADMIN),
    ),
    Permission(
        key="accounts.grant",
        label=_("Grant and end roles"),
        roles=(*_LOCAL_ADMINS, Role.SECURITY_ADMIN),
    ),
    Permission(
        key="accounts.manage_config", label=_("Manage the system's configuration"), roles=(Role.SYSTEM_ADMIN,)
    ),
    Permission(
        key="accounts.manage_security", label=_("Manage security settings"), roles=(Role.SECURITY_ADMIN,)
    ),
]

# Signing in, binding a resident record, resetting a forgotten password: no account yet.
PUBLIC_ROUTES = [
    PublicRoute(key="accounts.token", url_name="accounts-token", methods=frozenset({"POST"})),
    PublicRoute(key="accounts.token_refresh", url_name="accounts-token-refresh", methods=frozenset({"POST"})),
    PublicRoute(key="accounts.binding_code", url_name="accounts-binding-code", methods=frozenset({"POST"})),
    PublicRoute(key="accounts.binding", url_name="accounts-binding", methods=frozenset({"POST"})),
    PublicRoute(key="accounts.wechat_login", url_name="accounts-wechat-login", methods=frozenset({"POST"})),
    PublicRoute(
        key="accounts.password_reset_code",
        url_name="accounts-password-reset-code",
        methods=frozenset({"POST"}),
    ),
    PublicRoute(
        key="accounts.password_reset", url_name="accounts-password-reset", methods=frozenset({"POST"})
    ),
]

CONTRIBUTIONS = [
    *ROLES,
    *PERMISSIONS,
    *PUBLIC_ROUTES,
    AuditAction(key="accounts.login", name=_("Signed in")),
    # The owner of a locked account hears of it (core.accounts.lockout), by SMS too where possible.
    NoticeKind(key="accounts.locked_out", name=_("Account locked"), default_channels=("in_app", "sms")),
    AuditAction(key="accounts.login.failure", name=_("Sign-in failed")),
    AuditAction(key="accounts.login.unlock", name=_("Locked account unlocked by its second factor")),
    AuditAction(key="accounts.logout", name=_("Signed out")),
    AuditAction(key="accounts.totp.setup", name=_("Second factor set up")),
    AuditAction(key="accounts.totp.confirm", name=_("Second factor confirmed")),
    AuditAction(key="accounts.token.reuse_detected", name=_("Reuse of a refresh token detected")),
    AuditAction(key="accounts.user.create", name=_("Account created")),
    AuditAction(key="accounts.user.deactivate", name=_("Account deactivated")),
    AuditAction(key="accounts.user.reset_password", name=_("Password reset")),
    AuditAction(key="accounts.user.change_password", name=_("Password changed")),
    AuditAction(key="accounts.role.grant", name=_("Role granted")),
    AuditAction(key="accounts.role.end", name=_("Role ended")),
    AuditAction(key="accounts.resident.bind", name=_("Account bound to a resident record")),
    AuditAction(key="accounts.identity.sms_bind", name=_("Phone sign-in bound to an account")),
    AuditAction(key="accounts.identity.wechat_bind", name=_("WeChat sign-in bound to an account")),
    OpenWorkProvider(key="accounts.open_transfers", provider="core.accounts.open_work.open_transfers"),
    OpenWorkProvider(
        key="accounts.grids_without_lead", provider="core.accounts.open_work.grids_left_without_lead"
    ),
]

from core.accounts.corrections import CORRECTION_REQUEST  # noqa: E402 - declared next to its service

CONTRIBUTIONS.append(CORRECTION_REQUEST)

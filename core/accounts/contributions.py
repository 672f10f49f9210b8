from django.utils.translation import gettext_lazy as _

from core.extensions import AuditAction, OpenWorkProvider

CONTRIBUTIONS = [
    AuditAction(key="accounts.login", name=_("Signed in")),
    AuditAction(key="accounts.login.failure", name=_("Sign-in failed")),
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

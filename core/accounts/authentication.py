"""API authentication: JWT for front ends, the session for the admin and dashboard.

Both refuse a token or session that is no longer good enough: a revoked token (logout,
deactivation, password change bump `User.token_epoch`), and, until the user acts, an account that
must change its password or enrol its second factor may only reach the routes that fix that.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, status
from rest_framework_simplejwt import authentication as jwt_authentication

from core.accounts import passwords, two_factor
from core.accounts.errors import AccountsError
from core.regions.scoping import scope_for

EPOCH_CLAIM = "epoch"
MFA_CLAIM = "mfa"
# Routes an account may reach while it must change its password or set up its second factor.
SETUP_ROUTES = frozenset(
    {
        "accounts-me",
        "accounts-logout",
        "accounts-password-change",
        "accounts-totp-setup",
        "accounts-totp-confirm",
    }
)


class AccountSetupRequired(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = AccountsError.PASSWORD_CHANGE_REQUIRED
    default_detail = _("Finish setting up your account first.")

    def __init__(self, detail, code: AccountsError) -> None:
        super().__init__(detail, code)
        self.default_code = code


def _current_roles(user) -> frozenset[str] | None:
    """The roles the user holds now, read through their scope: the request's one read of
    RoleAssignment, which the views' scoping then reuses (core/regions/scoping.py caches it on
    the user object)."""
    if not user.is_active or user.is_superuser:
        return None  # no scope to share (inactive), or no roles needed (a superuser always needs it)
    return frozenset(scope_for(user).paths_by_role)


def check_account_state(request, user, *, second_factor_done: bool, current_roles=None) -> None:
    """Refuse everything but the setup routes while the account owes a password or a second factor.
    `current_roles(user)`: the roles the user holds now, when the caller reads them anyway (else
    they are read through the user's scope)."""
    match = getattr(getattr(request, "_request", request), "resolver_match", None)
    if match is not None and match.url_name in SETUP_ROUTES:
        return
    if passwords.password_change_due(user):
        raise AccountSetupRequired(
            _("Change your password before going on."), AccountsError.PASSWORD_CHANGE_REQUIRED
        )
    if second_factor_done:
        return
    roles = frozenset(current_roles(user)) if current_roles is not None else _current_roles(user)
    if two_factor.requires_two_factor(user, roles=roles):
        raise AccountSetupRequired(
            _("Set up two-factor sign-in and sign in again with a code."), AccountsError.TWO_FACTOR_REQUIRED
        )


class JWTAuthentication(jwt_authentication.JWTAuthentication):
    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if validated_token.get(EPOCH_CLAIM) != user.token_epoch:
            raise exceptions.AuthenticationFailed(_("The token has been revoked."), code="token_revoked")
        return user

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user, token = result
            check_account_state(request, user, second_factor_done=bool(token.get(MFA_CLAIM)))
        return result


def authenticate_access_token(raw, *, current_roles=None):
    """The user a JWT access token authenticates, checked as a request's Authorization header is:
    signature, expiry and type (an access token, not a refresh token), the user existing and
    active, the token not revoked (`token_epoch`), and the account owing neither a password change
    nor a second factor. For a client that cannot send a header: the notices websocket, whose
    first message carries the token. Raises AuthenticationFailed (or AccountSetupRequired)."""
    if not isinstance(raw, str) or not raw or len(raw) > 4096:
        raise exceptions.AuthenticationFailed(
            _("The token is not valid or has expired."), code="token_not_valid"
        )
    authentication = JWTAuthentication()
    token = authentication.get_validated_token(raw)
    user = authentication.get_user(token)
    check_account_state(
        None, user, second_factor_done=bool(token.get(MFA_CLAIM)), current_roles=current_roles
    )
    return user


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user = result[0]
            verified = getattr(user, "is_verified", None)
            check_account_state(request, user, second_factor_done=bool(verified and verified()))
        return result

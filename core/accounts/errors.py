"""The error codes of accounts and sign-in (core.accounts): every code it raises is declared here, once.

A code is part of the API (clients branch on it): rename one only with the clients.
"""

from core.api.errors import ErrorCode


class AccountsError(ErrorCode):
    ADMIN_ROLE_CONFLICT = "admin_role_conflict"
    ALREADY_BOUND = "already_bound"
    ALREADY_ENDED = "already_ended"
    ALREADY_INACTIVE = "already_inactive"
    IDENTITY_PROVIDER_UNAVAILABLE = "identity_provider_unavailable"
    INVALID_CODE = "invalid_code"
    INVALID_OTP = "invalid_otp"
    LOCKED_OUT = "locked_out"
    NOT_BOUND = "not_bound"
    PASSWORD_CHANGE_REQUIRED = "password_change_required"  # noqa: S105 (a code, not a password)
    PROVIDER_DISABLED = "provider_disabled"
    SELF_DEACTIVATION = "self_deactivation"
    SELF_RESET = "self_reset"
    TWO_FACTOR_REQUIRED = "two_factor_required"
    USERNAME_TAKEN = "username_taken"
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 (a code, not a password)

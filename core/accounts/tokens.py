"""JWT pairs for front ends: access 15 minutes, refresh rotated on every use with a blacklist.

A refresh token used a second time (after rotation) means it was stolen or replayed: the whole
family, every token of the account, is revoked. The chain of refreshes never outlives
REFRESH_TOKEN_LIFETIME from the sign-in (rotation keeps the first expiry).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from core.accounts.authentication import EPOCH_CLAIM, MFA_CLAIM
from core.accounts.models import User
from core.accounts.passwords import password_change_due
from core.accounts.services import user_revoke_tokens
from core.audit.services import audit_record


def issue_tokens(user: User, *, second_factor: bool, expires_at: int | None = None) -> dict:
    refresh = RefreshToken.for_user(user)
    refresh[EPOCH_CLAIM] = user.token_epoch
    refresh[MFA_CLAIM] = bool(second_factor)
    if expires_at is not None:
        refresh.payload["exp"] = expires_at
        OutstandingToken.objects.filter(jti=refresh["jti"]).update(
            expires_at=datetime.fromtimestamp(expires_at, tz=UTC)
        )
    return {
        "access": str(refresh.access_token),
        "refresh": str(refresh),
        "second_factor": bool(second_factor),
        "password_change_required": password_change_due(user),
    }


def _invalid() -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(
        _("The token is not valid or has expired."), code="token_not_valid"
    )


def rotate(raw: str, *, request=None) -> dict:
    """A new pair for a valid refresh token, which is used up; a reused one revokes the family."""
    try:
        payload = token_backend.decode(raw, verify=True)
    except TokenBackendError:
        raise _invalid() from None
    if payload.get(api_settings.TOKEN_TYPE_CLAIM) != "refresh" or "jti" not in payload:
        raise _invalid()
    user = User.objects.filter(pk=payload.get(api_settings.USER_ID_CLAIM)).first()
    if user is None or not user.is_active:
        raise _invalid()
    with transaction.atomic():
        outstanding = OutstandingToken.objects.select_for_update().filter(jti=payload["jti"]).first()
        if outstanding is None:
            raise _invalid()
        if BlacklistedToken.objects.filter(token=outstanding).exists():
            reused = True
        else:
            reused = False
            BlacklistedToken.objects.create(token=outstanding)
    if reused:
        with transaction.atomic():
            user_revoke_tokens(user=user)
            audit_record(
                actor=user,
                action="accounts.token.reuse_detected",
                target=user,
                request=request,
                extra={"detail": "a used refresh token was presented again; every token revoked"},
            )
        raise _invalid()
    if payload.get(EPOCH_CLAIM) != user.token_epoch:
        raise _invalid()
    try:
        return issue_tokens(user, second_factor=bool(payload.get(MFA_CLAIM)), expires_at=payload["exp"])
    except TokenError:
        raise _invalid() from None

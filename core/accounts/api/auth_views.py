"""Signing in and out, passwords, second factor, resident binding and WeChat: the public ones are
declared public in core/accounts/contributions.py."""

from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.contrib.auth import logout as session_logout
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.accounts import codes, identity, lockout, services, two_factor
from core.accounts.api import serializers as s
from core.accounts.errors import AccountsError
from core.accounts.models import OneTimeCode, User
from core.accounts.tokens import issue_tokens, rotate
from core.api.errors import ApplicationError, CommonError
from core.api.viewsets import NoStoreMixin
from core.audit.services import audit_record, client_ip

PASSWORD_RESET_MESSAGE = "【智慧社区】验证码 {code}，5 分钟内有效，用于重置您的密码。请勿告诉他人。"  # noqa: S105 - an SMS text


class AuthView(NoStoreMixin, APIView):
    """Answers carry tokens or secrets: never cached.

    Each endpoint counts requests per address in a bucket of its own (settings'
    DEFAULT_THROTTLE_RATES): residents binding or signing in through WeChat behind one shared
    address must not use up the staff sign-in's allowance, nor the other way round.
    """

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def get_authenticate_header(self, request) -> str:
        # A failed sign-in or refresh is 401 with a challenge, also where no authenticator runs.
        return 'Bearer realm="api"'


def _failed_login(username: str, request) -> ApplicationError:
    if getattr(request, "axes_locked_out", False):
        return ApplicationError(
            _(
                "Too many failed sign-ins. Try again in 30 minutes, or sign in with your authenticator "
                "code, or reset your password."
            ),
            code=AccountsError.LOCKED_OUT,
            status_code=429,
        )
    return ApplicationError(
        _("The username or password is not correct."), code=CommonError.AUTHENTICATION_FAILED, status_code=401
    )


def _audit_sign_in(action: str, *, user=None, username: str = "", request, extra: dict | None = None):
    audit_record(
        actor=user,
        action=action,
        target=user,
        object_type="accounts.user",
        request=request,
        extra={"username": username[:150], **(extra or {})},
    )


@extend_schema(tags=["accounts"], request=s.LoginSerializer, responses=s.TokenPairSerializer)
class TokenObtainView(AuthView):
    """Sign in with username and password (and a TOTP code where the account needs one)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        data = s.LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username, password = data.validated_data["username"], data.validated_data["password"]
        user = authenticate(request, username=username, password=password)
        unlocked = False
        if user is None and getattr(request, "axes_locked_out", False):
            # Locked by failures from elsewhere: the owner's password and authenticator code lift it.
            user = lockout.unlock_with_second_factor(
                request, username=username, password=password, code=data.validated_data.get("otp_code")
            )
            unlocked = user is not None
        if user is None:
            _audit_sign_in("accounts.login.failure", username=username, request=request)
            raise _failed_login(username, request)
        second_factor = unlocked
        if unlocked:
            _audit_sign_in("accounts.login.unlock", user=user, username=username, request=request)
        elif two_factor.requires_two_factor(user) and two_factor.confirmed_device(user) is not None:
            code = data.validated_data.get("otp_code")
            if not code:
                raise ApplicationError(
                    _("Enter the code from your authenticator app."),
                    code=AccountsError.TWO_FACTOR_REQUIRED,
                    status_code=401,
                    fields={"otp_code": [_("This field is required.")]},
                )
            if two_factor.verify_code(user, code) is None:
                # A wrong second factor counts as a failed sign-in for the lockout.
                user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
                _audit_sign_in("accounts.login.failure", user=user, username=username, request=request)
                if getattr(request, "axes_locked_out", False):
                    raise _failed_login(username, request)
                raise ApplicationError(
                    _("The code is wrong or has expired."),
                    code=AccountsError.INVALID_OTP,
                    status_code=401,
                    fields={"otp_code": [_("The code is wrong or has expired.")]},
                )
            second_factor = True
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        _audit_sign_in("accounts.login", user=user, username=username, request=request)
        return Response(issue_tokens(user, second_factor=second_factor))


@extend_schema(tags=["accounts"], request=s.RefreshSerializer, responses=s.TokenPairSerializer)
class TokenRefreshView(AuthView):
    """A new pair for a refresh token, which is used up (a reused one revokes every token)."""

    throttle_scope = "token_refresh"

    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        data = s.RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(rotate(data.validated_data["refresh"], request=request))


@extend_schema(tags=["accounts"], request=None, responses={204: None})
class LogoutView(AuthView):
    """Sign out everywhere: every refresh token and access token of the account stops working."""

    permission_classes = [IsAuthenticated]
    throttle_classes = []

    def post(self, request):
        user = request.user
        with transaction.atomic():
            services.user_revoke_tokens(user=user)
            audit_record(actor=user, action="accounts.logout", target=user, request=request)
        if hasattr(request, "session"):
            session_logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["accounts"], request=s.PasswordChangeSerializer, responses=s.TokenPairSerializer)
class PasswordChangeView(AuthView):
    """Change your password with the current one; other sessions end, a new pair is returned."""

    permission_classes = [IsAuthenticated]
    throttle_scope = "password_change"

    def post(self, request):
        data = s.PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        services.user_change_password(
            user=user,
            old_password=data.validated_data["old_password"],
            new_password=data.validated_data["new_password"],
            request=request,
        )
        second_factor = _second_factor_of(request)
        if (
            hasattr(request, "session")
            and request.successful_authenticator.__class__.__name__ == "SessionAuthentication"
        ):
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request._request, user)
        return Response(issue_tokens(user, second_factor=second_factor))


def _second_factor_of(request) -> bool:
    token = getattr(request, "auth", None)
    if token is not None and hasattr(token, "get"):
        return bool(token.get("mfa"))
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


@extend_schema(tags=["accounts"], request=s.PasswordResetCodeSerializer, responses={202: None})
class PasswordResetCodeView(AuthView):
    """Send a reset code to the account's mobile. The answer is the same whether or not it exists."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "password_reset_code"

    def post(self, request):
        data = s.PasswordResetCodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        codes.check_ip_allowance(client_ip(request))
        user = User.objects.filter(username=data.validated_data["username"], is_active=True).first()
        phone = _mobile_of(user) if user else ""
        if phone:
            codes.issue_code(
                purpose=OneTimeCode.Purpose.PASSWORD_RESET,
                phone=phone,
                target_id=str(user.pk),
                ip_address=client_ip(request),
                message=PASSWORD_RESET_MESSAGE,
            )
        return Response(
            {"detail": _("If the account has a mobile, a code was sent to it.")},
            status=status.HTTP_202_ACCEPTED,
        )


def _mobile_of(user: User) -> str:
    if user.mobile_encrypted:
        return user.mobile_encrypted
    binding = user.resident_links.select_related("resident").first()
    return binding.resident.mobile_encrypted if binding else ""


@extend_schema(tags=["accounts"], request=s.PasswordResetSerializer, responses={204: None})
class PasswordResetView(AuthView):
    """Set a new password with the code sent to the account's mobile."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "password_reset"

    def post(self, request):
        data = s.PasswordResetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = User.objects.filter(username=data.validated_data["username"], is_active=True).first()
        if user is None or not codes.consume_code(
            purpose=OneTimeCode.Purpose.PASSWORD_RESET,
            target_id=str(user.pk),
            code=data.validated_data["code"],
        ):
            raise ApplicationError(
                _("The code is wrong or has expired."),
                code=AccountsError.INVALID_CODE,
                fields={"code": [_("The code is wrong or has expired.")]},
            )
        services.user_set_password(
            user=user, new_password=data.validated_data["new_password"], request=request
        )
        lockout.unlock_username(user.get_username())  # the code sent to the owner lifts a lock too
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["accounts"], request=None, responses={201: s.TotpSetupSerializer})
class TotpSetupView(AuthView):
    """Start setting up an authenticator app: the secret and its otpauth:// URI (shown once)."""

    permission_classes = [IsAuthenticated]
    throttle_classes = []

    def post(self, request):
        device = two_factor.start_enrolment(request.user)
        audit_record(actor=request.user, action="accounts.totp.setup", target=request.user, request=request)
        return Response(
            {"secret": two_factor.secret_base32(device), "provisioning_uri": device.config_url},
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["accounts"], request=s.TotpConfirmSerializer, responses=s.TokenPairSerializer)
class TotpConfirmView(AuthView):
    """Confirm the authenticator with its first code; returns a pair signed in with the second factor."""

    throttle_scope = "totp_confirm"

    permission_classes = [IsAuthenticated]

    def post(self, request):
        data = s.TotpConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not two_factor.confirm_enrolment(request.user, data.validated_data["code"]):
            raise ApplicationError(
                _("The code is wrong or has expired."),
                code=AccountsError.INVALID_OTP,
                fields={"code": [_("The code is wrong or has expired.")]},
            )
        audit_record(actor=request.user, action="accounts.totp.confirm", target=request.user, request=request)
        return Response(issue_tokens(request.user, second_factor=True))


@extend_schema(tags=["accounts"], request=s.BindingCodeSerializer, responses={202: None})
class BindingCodeView(AuthView):
    """Send a one-time code to the mobile in the resident record with this ID number."""

    permission_classes = [AllowAny]
    throttle_scope = "binding_code"

    def post(self, request):
        data = s.BindingCodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        identity.binding_code_send(id_number=data.validated_data["id_number"], request=request)
        return Response(
            {"detail": _("If the ID number is in the register with a mobile, a code was sent to it.")},
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema(tags=["accounts"], request=s.BindingSerializer, responses=s.TokenPairSerializer)
class BindingView(AuthView):
    """Bind a resident record by ID number and code: to the signed-in account, or to the record's
    own account (created the first time), which is then signed in."""

    throttle_scope = "binding"

    permission_classes = [AllowAny]

    def post(self, request):
        data = s.BindingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        current = request.user if request.user.is_authenticated else None
        user, created = identity.sign_in(
            provider_key="sms", data=data.validated_data, request=request, current_user=current
        )
        body = issue_tokens(user, second_factor=False)
        return Response(
            {**body, "bound": True}, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


@extend_schema(tags=["accounts"], request=s.WeChatLoginSerializer, responses=s.TokenPairSerializer)
class WeChatLoginView(AuthView):
    """WeChat mini-program sign-in (wx.login code). Signed in already: binds WeChat to this account."""

    throttle_scope = "wechat_login"

    permission_classes = [AllowAny]

    def post(self, request):
        data = s.WeChatLoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        current = request.user if request.user.is_authenticated else None
        user, created = identity.sign_in(
            provider_key="wechat", data=data.validated_data, request=request, current_user=current
        )
        body = issue_tokens(user, second_factor=False)
        bound = user.resident_links.exists()
        return Response(
            {**body, "bound": bound}, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

"""Residents sign in through pluggable identity providers: an SMS code to the phone in their
register record (which also binds the record), or WeChat mini-program login (code2session).

A provider turns what the client sent into a verified subject; `sign_in` maps the subject to one
account, creating it the first time. A WeChat identity is bound to one account, once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import urlopen

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status

from core.accounts import codes
from core.accounts.errors import AccountsError
from core.accounts.models import ExternalIdentity, OneTimeCode, ResidentBinding, RoleAssignment, User
from core.accounts.roles import Role
from core.api.errors import ApplicationError, Conflict, NotFound
from core.audit.services import audit_record, client_ip
from core.pii.masking import mask_phone
from core.regions.scoping import forget_scope

logger = logging.getLogger("smartcommunity.accounts")

BINDING_MESSAGE = "【智慧社区】验证码 {code}，5 分钟内有效，用于绑定您的居民信息。请勿告诉他人。"
WECHAT_TIMEOUT_SECONDS = 5


class ProviderUnavailable(ApplicationError):
    status_code = status.HTTP_502_BAD_GATEWAY
    code = AccountsError.IDENTITY_PROVIDER_UNAVAILABLE


def _invalid_code() -> ApplicationError:
    return ApplicationError(
        _("The code is wrong or has expired."),
        code=AccountsError.INVALID_CODE,
        fields={"code": [_("The code is wrong or has expired.")]},
    )


def resident_by_id_number(id_number: str):
    from core.pii.validators import validate_id_number
    from core.registry.identity import document_index
    from core.registry.models import Resident

    try:
        number = validate_id_number(id_number)
    except Exception:
        return None
    return (
        Resident.objects.filter(
            document_type="id_card", document_number_index=document_index("id_card", number)
        )
        .exclude(status=Resident.Status.DECEASED)
        .first()
    )


# SMS: the code goes to the mobile in the resident's record --------------------------------------


def binding_code_send(*, id_number: str, request) -> str | None:
    """Send a binding code to the resident's mobile. Returns the masked mobile, or None when no
    record with a mobile matches (the API answers the same either way)."""
    ip_address = client_ip(request)
    codes.check_ip_allowance(ip_address)
    resident = resident_by_id_number(id_number)
    if resident is None or not resident.mobile_encrypted:
        # Counts against the address's daily cap too, so the register cannot be probed freely.
        OneTimeCode.objects.create(
            purpose=OneTimeCode.Purpose.BINDING,
            phone_index="",
            target_id="",
            code_hash="",
            ip_address=ip_address,
            expires_at=timezone.now(),
        )
        return None
    codes.issue_code(
        purpose=OneTimeCode.Purpose.BINDING,
        phone=resident.mobile_encrypted,
        target_id=str(resident.pk),
        ip_address=ip_address,
        message=BINDING_MESSAGE,
    )
    return mask_phone(resident.mobile_encrypted)


@dataclass(frozen=True)
class Identity:
    provider: str
    subject: str


class IdentityProvider:
    key = ""

    def identify(self, data: dict, request) -> Identity:
        raise NotImplementedError


class SmsCodeProvider(IdentityProvider):
    """The subject is the resident record whose ID number and code were given."""

    key = "sms"

    def identify(self, data: dict, request) -> Identity:
        resident = resident_by_id_number(data.get("id_number", ""))
        if resident is None or not codes.consume_code(
            purpose=OneTimeCode.Purpose.BINDING, target_id=str(resident.pk), code=data.get("code", "")
        ):
            raise _invalid_code()
        return Identity(provider=self.key, subject=str(resident.pk))


class WeChatProvider(IdentityProvider):
    """code2session: https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html"""

    key = "wechat"

    def identify(self, data: dict, request) -> Identity:
        if settings.WECHAT_FAKE:
            return self._demo_identity(data)
        if not settings.WECHAT_APP_ID or not settings.WECHAT_APP_SECRET:
            raise NotFound(_("WeChat sign-in is not configured."), code=AccountsError.PROVIDER_DISABLED)
        code = str(data.get("code", "")).strip()
        if not code or len(code) > 128:
            raise ApplicationError(
                _("The WeChat login code is missing."), fields={"code": [_("This field is required.")]}
            )
        query = urlencode(
            {
                "appid": settings.WECHAT_APP_ID,
                "secret": settings.WECHAT_APP_SECRET,
                "js_code": code,
                "grant_type": "authorization_code",
            }
        )
        url = f"{settings.WECHAT_API_BASE.rstrip('/')}/sns/jscode2session?{query}"
        try:
            with urlopen(url, timeout=WECHAT_TIMEOUT_SECONDS) as response:  # noqa: S310 - https in settings
                body = json.loads(response.read().decode("utf-8"))
        except (URLError, TimeoutError, ValueError, OSError) as error:
            logger.warning("WeChat code2session failed: %s", type(error).__name__)
            raise ProviderUnavailable(_("WeChat cannot be reached now. Try again later.")) from None
        if body.get("errcode") or not body.get("openid"):
            raise ApplicationError(
                _("WeChat did not accept the login code."),
                code=AccountsError.INVALID_CODE,
                fields={"code": [_("WeChat did not accept the login code.")]},
            )
        # The session_key is never stored or logged: we only need the openid.
        return Identity(provider=self.key, subject=str(body["openid"]))

    def _demo_identity(self, data: dict) -> Identity:
        """`make demo` (DEMO_FAKES, refused in production): the login code names the person, so
        the same code signs the same demo resident in again."""
        code = str(data.get("code", "")).strip()
        if not code or len(code) > 64 or not code.isascii() or not code.replace("-", "").isalnum():
            raise ApplicationError(
                _("WeChat did not accept the login code."),
                code=AccountsError.INVALID_CODE,
                fields={"code": [_("WeChat did not accept the login code.")]},
            )
        return Identity(provider=self.key, subject=f"demo-{code}")


PROVIDERS: dict[str, IdentityProvider] = {p.key: p for p in (SmsCodeProvider(), WeChatProvider())}


# Accounts ------------------------------------------------------------------------------------


def resident_bind(*, user: User, resident, method: str, request=None) -> ResidentBinding:
    """Bind the account to the resident record (once each) and give it the resident role there."""
    if ResidentBinding.objects.filter(resident=resident).exclude(user=user).exists():
        raise Conflict(
            _("This resident record is already bound to another account."), code=AccountsError.ALREADY_BOUND
        )
    if ResidentBinding.objects.filter(user=user).exclude(resident=resident).exists():
        raise Conflict(
            _("This account is already bound to another resident record."), code=AccountsError.ALREADY_BOUND
        )
    with transaction.atomic():
        binding, created = ResidentBinding.objects.get_or_create(
            user=user, resident=resident, defaults={"method": method}
        )
        if created:
            if user.region_id is None:
                user.region = resident.region
                user.save(update_fields=["region", "region_path"])
            RoleAssignment.objects.create(user=user, role=Role.RESIDENT, region=resident.region)
            audit_record(
                actor=user,
                action="accounts.resident.bind",
                target=binding,
                region_path=resident.region_path,
                extra={"resident": resident.pk, "method": method},
                request=request,
            )
    forget_scope(user)
    return binding


def _new_resident_account(prefix: str) -> User:
    from secrets import token_hex

    user = User(username=f"{prefix}_{token_hex(6)}", is_staff=False)
    user.set_unusable_password()
    user.save()
    return user


def sign_in(*, provider_key: str, data: dict, request, current_user: User | None = None) -> tuple[User, bool]:
    """The account for this identity (created on first sign-in). With `current_user`, binds the
    identity to that account instead (a WeChat identity once, a resident record once).
    Returns (user, created)."""
    identity = PROVIDERS[provider_key].identify(data, request)
    if provider_key == SmsCodeProvider.key:
        from core.registry.models import Resident

        resident = Resident.objects.get(pk=identity.subject)
        existing = ResidentBinding.objects.filter(resident=resident).select_related("user").first()
        if current_user is not None:
            resident_bind(user=current_user, resident=resident, method="sms", request=request)
            return current_user, False
        if existing is not None:
            return existing.user, False
        with transaction.atomic():
            user = _new_resident_account("r")
            resident_bind(user=user, resident=resident, method="sms", request=request)
        return user, True

    linked = ExternalIdentity.objects.filter(provider=identity.provider, subject=identity.subject).first()
    if current_user is not None:
        if linked is not None and linked.user_id != current_user.pk:
            raise Conflict(
                _("This WeChat account is already bound to another account."),
                code=AccountsError.ALREADY_BOUND,
            )
        if linked is None:
            _link(current_user, identity, request)
        return current_user, False
    if linked is not None:
        return linked.user, False
    with transaction.atomic():
        user = _new_resident_account("wx")
        _link(user, identity, request)
    return user, True


def _link(user: User, identity: Identity, request) -> None:
    try:
        with transaction.atomic():
            ExternalIdentity.objects.create(user=user, provider=identity.provider, subject=identity.subject)
            audit_record(
                actor=user,
                action=f"accounts.identity.{identity.provider}_bind",
                target=user,
                request=request,
            )
    except IntegrityError:
        raise Conflict(
            _("This account is already bound to another WeChat account."), code=AccountsError.ALREADY_BOUND
        ) from None

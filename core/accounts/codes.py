"""One-time codes: six digits, hashed at rest, valid five minutes, one use, few attempts.

Limits: at most one code a minute per phone, a daily cap per phone and per client address
(settings ONE_TIME_CODE_*). Counting rows in the database keeps the limits exact across
processes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status

from core.accounts.models import OneTimeCode
from core.accounts.sms import send_sms
from core.api.errors import ApplicationError, CommonError
from core.outbox.services import after_commit
from core.pii.crypto import blind_index


class CodeRateLimited(ApplicationError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = CommonError.THROTTLED


def _hash(purpose: str, target_id: str, code: str) -> str:
    key = hashlib.sha256(f"one-time-code:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{purpose}:{target_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _start_of_today():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def check_ip_allowance(ip_address: str | None) -> None:
    if ip_address and (
        OneTimeCode.objects.filter(ip_address=ip_address, created_at__gte=_start_of_today()).count()
        >= settings.ONE_TIME_CODE_DAILY_LIMIT_PER_IP
    ):
        raise CodeRateLimited(_("Too many codes were requested from this address today."))


def issue_code(*, purpose: str, phone: str, target_id: str, ip_address: str | None, message: str) -> None:
    """Create and send a code; `message` has a {code} placeholder."""
    phone_index = blind_index(phone, kind="mobile")
    now = timezone.now()
    with transaction.atomic():
        check_ip_allowance(ip_address)
        sent = OneTimeCode.objects.select_for_update().filter(phone_index=phone_index)
        if sent.filter(
            created_at__gt=now - timedelta(seconds=settings.ONE_TIME_CODE_INTERVAL_SECONDS)
        ).exists():
            raise CodeRateLimited(_("A code was sent less than a minute ago. Wait before asking again."))
        if (
            sent.filter(created_at__gte=_start_of_today()).count()
            >= settings.ONE_TIME_CODE_DAILY_LIMIT_PER_PHONE
        ):
            raise CodeRateLimited(_("Too many codes were sent to this phone today."))
        code = f"{secrets.randbelow(1_000_000):06d}"
        OneTimeCode.objects.create(
            purpose=purpose,
            phone_index=phone_index,
            target_id=str(target_id),
            code_hash=_hash(purpose, str(target_id), code),
            ip_address=ip_address,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.ONE_TIME_CODE_TTL_SECONDS),
        )
        # In-process only: the code must never be written down nor pass through the broker.
        after_commit(lambda: send_sms(phone, message.format(code=code)))


def consume_code(*, purpose: str, target_id: str, code: str) -> bool:
    """True once for the latest unexpired, unused code of this target; wrong tries count."""
    now = timezone.now()
    with transaction.atomic():
        latest = (
            OneTimeCode.objects.select_for_update()
            .filter(purpose=purpose, target_id=str(target_id), used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if latest is None or latest.attempts >= settings.ONE_TIME_CODE_MAX_ATTEMPTS:
            return False
        if hmac.compare_digest(latest.code_hash, _hash(purpose, str(target_id), str(code or "").strip())):
            OneTimeCode.objects.filter(pk=latest.pk).update(used_at=now)
            return True
        OneTimeCode.objects.filter(pk=latest.pk).update(attempts=latest.attempts + 1)
        return False

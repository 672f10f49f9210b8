"""Delivery channels besides the in-app push: one backend per channel, set in
settings.NOTICE_CHANNEL_BACKENDS. A backend receives primary keys' objects, looks up the address
itself (a phone, a WeChat openid) and never logs it."""

from __future__ import annotations

import logging
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("smartcommunity.notices")

IN_APP = "in_app"
# A resident record without an account has a mobile and nothing else: it is reached by SMS.
RECORD_CHANNEL = "sms"


class NoticeBackend(Protocol):
    channel: ClassVar[str]

    def send(self, *, user, notice, idempotency_key: str) -> None:
        """Deliver `notice` to `user`; raise to have the task retried. `idempotency_key` is the
        same for every retry of one delivery: pass it to a provider that dedupes requests."""


class RecordBackend(NoticeBackend, Protocol):
    """The backend of RECORD_CHANNEL also reaches a resident record that has no account."""

    def send_to_record(self, *, resident, notice, idempotency_key: str) -> None:
        """Deliver `notice` to the mobile in `resident`'s record; raise to have it retried."""


class AccountsSmsBackend:
    """Notices by SMS through the platform's one SMS gateway (core.accounts.sms, settings.SMS_BACKEND,
    which also sends the one-time codes). The number: the account's mobile, else the phone of the
    resident record the account is bound to; a person with neither is skipped."""

    channel = "sms"

    def send(self, *, user, notice, idempotency_key: str) -> None:
        from core.accounts.sms import send_sms

        phone = phone_of(user)
        if not phone:
            logger.info("notice SMS: user %s has no phone; notice %s not sent by SMS", user.pk, notice.pk)
            return
        send_sms(phone, sms_text(notice))

    def send_to_record(self, *, resident, notice, idempotency_key: str) -> None:
        from core.accounts.sms import send_sms

        phone = getattr(resident, "mobile_encrypted", "")
        if not phone:
            logger.info("notice SMS: record %s has no mobile; notice %s not sent", resident.pk, notice.pk)
            return
        send_sms(phone, sms_text(notice))


def phone_of(user) -> str:
    mobile = getattr(user, "mobile_encrypted", "")
    if mobile:
        return mobile
    links = getattr(user, "resident_links", None)
    if links is None:
        return ""
    for link in links.select_related("resident"):
        if getattr(link.resident, "mobile_encrypted", ""):
            return link.resident.mobile_encrypted
    return ""


def sms_text(notice) -> str:
    # The title only, within one message (70 characters); the provider adds the signature (签名).
    return notice.title[:70]


class ConsoleWechatBackend:
    """A WeChat subscription message (订阅消息), written to the log instead of sent."""

    channel = "wechat"

    def send(self, *, user, notice, idempotency_key: str) -> None:
        logger.info("notice WeChat message: notice %s to user %s (%s)", notice.pk, user.pk, idempotency_key)


class FakeBackend:
    """Records deliveries in memory, for tests: `FakeBackend.sent` lists (channel, user id, notice
    id); a delivery to a resident record lists ("sms", "resident:<id>", notice id)."""

    channel = "fake"
    sent: ClassVar[list[tuple[str, int | str, int]]] = []

    def send(self, *, user, notice, idempotency_key: str) -> None:
        FakeBackend.sent.append((self.channel, user.pk, notice.pk))

    def send_to_record(self, *, resident, notice, idempotency_key: str) -> None:
        FakeBackend.sent.append((self.channel, f"resident:{resident.pk}", notice.pk))


class FakeSmsBackend(FakeBackend):
    channel = "sms"


class FakeWechatBackend(FakeBackend):
    channel = "wechat"


def external_channels() -> list[str]:
    return list(settings.NOTICE_CHANNEL_BACKENDS)


def backend_for(channel: str) -> NoticeBackend:
    return import_string(settings.NOTICE_CHANNEL_BACKENDS[channel])()


def record_backend() -> RecordBackend:
    backend = backend_for(RECORD_CHANNEL)
    if not hasattr(backend, "send_to_record"):
        raise TypeError(
            f"The {RECORD_CHANNEL} notice backend cannot reach a resident record (send_to_record)"
        )
    return backend

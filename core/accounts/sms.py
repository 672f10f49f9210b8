"""Sending one-time codes by SMS through a pluggable backend (settings.SMS_BACKEND).

A deployment plugs in its provider (Aliyun, Tencent Cloud…) by naming a class with `send`.
The console backend prints the message with the number masked; the memory backend keeps an
outbox for tests.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from core.pii.masking import mask_phone


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str


class SmsBackend:
    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    def send(self, message: SmsMessage) -> None:
        sys.stdout.write(f"[SMS to {mask_phone(message.phone)}] {message.text}\n")
        sys.stdout.flush()


class MemorySmsBackend(SmsBackend):
    outbox: list[SmsMessage] = []

    def send(self, message: SmsMessage) -> None:
        MemorySmsBackend.outbox.append(message)


def send_sms(phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(SmsMessage(phone=phone, text=text))

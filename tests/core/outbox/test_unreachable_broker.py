"""Publishing never hangs a request while Redis is down: the on-commit try fails within the
configured timeouts against a refused port and against one that accepts and never answers."""

from __future__ import annotations

import contextlib
import socket
import time

import pytest
from celery import Celery
from django.db import transaction

from config.celery import app as main_app
from core.outbox import relay
from core.outbox.models import OutboxMessage
from core.outbox.services import enqueue_group_send, enqueue_task

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def unreachable_redis(kind: str):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    if kind == "silent":
        sock.listen(16)  # the kernel completes the handshake; nothing ever answers
    port = sock.getsockname()[1]
    if kind == "refused":
        sock.close()
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        sock.close()


@contextlib.contextmanager
def services_pointed_at(url: str, settings):
    probe = Celery("probe", set_as_current=False)
    probe.config_from_object("django.conf:settings", namespace="CELERY")
    probe.conf.broker_url = url
    probe.conf.task_always_eager = False
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": url, "socket_connect_timeout": 2, "socket_timeout": 10}]},
        }
    }
    probe.set_current()
    try:
        yield
    finally:
        main_app.set_current()


@pytest.fixture(autouse=True)
def _no_skipping_from_earlier_tests(monkeypatch):
    monkeypatch.setattr(relay, "_skip_after_commit_until", 0.0)


@pytest.mark.parametrize("kind", ["refused", "silent"])
def test_the_after_commit_publish_gives_up_quickly_and_the_messages_stay_pending(
    kind, settings, django_capture_on_commit_callbacks
):
    with unreachable_redis(kind) as url, services_pointed_at(url, settings):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            enqueue_task("outbox.purge", args=[], idempotency_key="task")
            enqueue_group_send(
                "notices.user.1", {"type": "notice.push", "notice_id": 1}, idempotency_key="push"
            )
        elapsed = time.monotonic() - started
    # Refused: milliseconds. Silent: one socket timeout; the second message is not tried after that
    # (the beat relay will publish both), so a hanging Redis costs one timeout, never one per message.
    limit = 0.5 if kind == "refused" else settings.OUTBOX_PUBLISH_TIMEOUT_SECONDS + 1.0
    assert elapsed < limit, elapsed
    print(f"\nunreachable Redis ({kind}): the committing code waited {elapsed:.3f} s")
    pending = OutboxMessage.objects.pending()
    assert pending.count() == 2
    assert [m.attempts for m in pending] == [0, 0]  # not the messages' fault
    assert pending.order_by("id").first().last_error

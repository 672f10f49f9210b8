"""At-least-once delivery with effects once: the settings that make it so, checked together."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from config.celery import app

ROOT = Path(__file__).resolve().parents[3]


def declared_queues() -> set[str]:
    return set(settings.CELERY_TASK_QUEUES)


def test_late_acks_reject_on_worker_loss_and_prefetch_one():
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_every_task_route_and_beat_entry_names_a_declared_queue():
    from core.extensions.registry import registry

    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    beat = {task.queue for task in registry.periodic_tasks()}
    assert routed | beat | {settings.CELERY_TASK_DEFAULT_QUEUE} <= declared_queues()


def test_the_procfile_worker_consumes_every_declared_queue():
    worker = next(
        line.split(": ", 1)[1]
        for line in (ROOT / "Procfile").read_text().splitlines()
        if line.startswith("worker:")
    )
    match = re.search(r"--queues[= ](\S+)", worker) or re.search(r"-Q[= ]?(\S+)", worker)
    consumed = set(match.group(1).split(",")) if match else declared_queues()  # no flag: all declared
    assert declared_queues() <= consumed, (
        f"the worker must consume {sorted(declared_queues() - consumed)} too"
    )


def test_the_visibility_timeout_exceeds_every_task_time_limit_and_no_countdown_waits_in_redis():
    app.loader.import_default_modules()
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    limits = {
        name: task.time_limit or app.conf.task_time_limit
        for name, task in app.tasks.items()
        if name.startswith(("notices.", "outbox."))
    }
    assert limits and all(limit and limit < visibility for limit in limits.values()), limits
    # Countdowns are held by the outbox (available_at), never as ETA messages in the broker; a
    # task's own retry countdown (deliver: backoff up to 600 s) is far below the timeout.
    assert app.tasks["notices.deliver"].retry_backoff_max < visibility


def test_publishing_has_bounded_timeouts():
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["socket_connect_timeout"] <= 3 and options["socket_timeout"] <= 5
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 3
    assert settings.OUTBOX_PUBLISH_TIMEOUT_SECONDS <= 5

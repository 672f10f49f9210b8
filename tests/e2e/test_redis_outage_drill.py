"""The drill: a Redis of the test's own is killed while notices and tasks are created, then
brought back. Every task's effect and every notice happens exactly once, the websocket client
ends up with every notice (live or caught up from its cursor), and no commit waited on Redis.

Real processes: uvicorn (web), a Celery worker and Celery beat (which runs the outbox relay),
all on a private `redis-server` on a spare port; the producer is a separate process too.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

import pytest
from celery import Celery

from core.accounts.roles import Role
from core.accounts.tokens import issue_tokens
from core.notices.models import Notice
from core.outbox.models import OutboxMessage, ProcessedTask
from tests.core.notices.e2e_stack import (
    NoticeClient,
    PrivateRedis,
    beat,
    run_producer,
    stack_environment,
    wait_for,
    web,
    worker,
)
from tests.core.notices.factories import make_region, make_user

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

PER_PHASE = 5
PHASES = ("before", "during", "after")


def labels(*phases: str) -> list[str]:
    return [f"{phase}-{number}" for phase in phases for number in range(PER_PHASE)]


def titles_of(user) -> Counter:
    return Counter(Notice.objects.filter(recipient=user).values_list("title", flat=True))


def test_redis_outage_drill(settings, tmp_path):
    community = make_region(
        4, "甲社区", make_region(3, "滨江街道", make_region(2, "镜湖区", make_region(1, "芜湖市")))
    )
    user = make_user("drill_worker", Role.COMMUNITY_WORKER, community)
    token = issue_tokens(user, second_factor=False)["access"]
    redis = PrivateRedis(tmp_path)
    redis.start()
    env = stack_environment(settings, redis.url)
    logs = [tmp_path / name for name in ("web.log", "worker.log", "beat.log")]
    measured: dict = {}
    try:
        with (
            web(env, logs[0]) as port,
            worker(env, logs[1]),
            beat(env, logs[2], tmp_path / "beat-schedule"),
        ):
            client = NoticeClient(port, token)
            stop = threading.Event()
            listener = threading.Thread(target=lambda: asyncio.run(client.run(stop)), daemon=True)
            listener.start()
            wait_for(lambda: client.live is not None and client.reconnects == 0, timeout=5, what="the client")

            # 1. Redis up: everything goes out at once.
            measured["before"] = run_producer(env, user.pk, "before", PER_PHASE)
            wait_for(lambda: len(client.seen) == 2 * PER_PHASE, timeout=60, what="live pushes", logs=logs)

            # 2. Redis killed: commits still succeed promptly; the work waits in the outbox.
            redis.kill()
            measured["during"] = run_producer(env, user.pk, "during", PER_PHASE)
            pending = OutboxMessage.objects.pending().count()
            measured["pending_while_down"] = pending
            assert pending == 2 * PER_PHASE  # per transaction: the push and the task
            assert all(
                titles_of(user)[f"direct {label}"] == 1 for label in labels("during")
            )  # rows are the truth
            assert not any(titles_of(user)[f"from the worker {label}"] for label in labels("during"))

            # 3. Redis back (same port, its append-only file): the beat relay publishes the backlog.
            redis.start()
            wait_for(
                lambda: (
                    all(titles_of(user)[f"from the worker {label}"] for label in labels("during"))
                    and not OutboxMessage.objects.pending().exists()
                ),
                timeout=90,
                what="the relay to publish the backlog and the worker to run it",
                logs=logs,
            )
            measured["after"] = run_producer(env, user.pk, "after", PER_PHASE)
            wait_for(
                lambda: all(titles_of(user)[f"from the worker {label}"] for label in labels("after")),
                timeout=60,
                what="the tasks of the last phase",
                logs=logs,
            )

            # 4. A duplicate delivery of every task (as after a lost acknowledgement).
            duplicate_sender = Celery("duplicate", broker=redis.url, set_as_current=False)
            for label in labels(*PHASES):
                duplicate_sender.send_task(
                    "e2e.notices.notify_user", args=[user.pk, label], task_id=f"e2e:{label}", queue="default"
                )
            wait_for(
                lambda: logs[1].read_text().count("e2e.notices.notify_user") >= 2 * 2 * len(labels(*PHASES)),
                timeout=60,
                what="the duplicates to be consumed",
                logs=logs,
            )

            # 5. The client has every notice of the user, live or caught up after reconnecting.
            every_notice = set(Notice.objects.filter(recipient=user).values_list("pk", flat=True))
            wait_for(
                lambda: set(client.seen) == every_notice,
                timeout=60,
                what="the client to have them all",
                logs=logs,
            )
            stop.set()
            listener.join(10)
    finally:
        redis.stop()

    # Exactly once: each notice and each task's effect, across the outage and the duplicates.
    titles = titles_of(user)
    for label in labels(*PHASES):
        assert titles[f"direct {label}"] == 1, label
        assert titles[f"from the worker {label}"] == 1, label
    assert sum(titles.values()) == 2 * len(labels(*PHASES))
    assert ProcessedTask.objects.filter(idempotency_key__startswith="e2e:").count() == len(labels(*PHASES))
    live_ids = [n["id"] for n in client.live]
    assert len(live_ids) == len(set(live_ids)), "a notice was pushed twice"
    # No commit waited on the dead Redis for long (connection refused is immediate).
    assert max(measured["during"]) < 2.0, measured
    print(
        f"\ndrill: commit seconds max before={max(measured['before']):.3f} "
        f"during={max(measured['during']):.3f} after={max(measured['after']):.3f}; "
        f"pending while down={measured['pending_while_down']}; "
        f"live pushes={len(client.live)} caught up={len(client.caught_up)} reconnects={client.reconnects}"
    )

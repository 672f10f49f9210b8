"""Create notices and tasks as a web request would, in a separate process pointed at the Redis
under test; prints how long each commit took (publishing must not hang while Redis is down).

    python -m tests.core.notices.e2e_produce <user id> <phase> <count>
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402

from core.notices.services import notify  # noqa: E402
from core.outbox.services import enqueue_task  # noqa: E402


def produce(user_id: int, phase: str, count: int) -> list[float]:
    user = get_user_model().objects.get(pk=user_id)
    durations = []
    for number in range(count):
        label = f"{phase}-{number}"
        started = time.monotonic()
        with transaction.atomic():
            notify(kind="notices.system", title=f"direct {label}", user=user)
            enqueue_task("e2e.notices.notify_user", args=[user_id, label], idempotency_key=f"e2e:{label}")
        # The commit, the cursor and the after-commit publishing tries are all inside this span.
        durations.append(time.monotonic() - started)
    return durations


if __name__ == "__main__":
    user_id, phase, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    print(json.dumps({"durations": produce(user_id, phase, count)}))

"""A task for the end-to-end tests: the worker process creates a notice, as the dispatch engine
will. Loaded into the test's worker with `celery worker --include tests.core.notices.e2e_tasks`."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from core.notices.services import notify
from core.outbox.tasks import idempotent_task


@idempotent_task(name="e2e.notices.notify_user")
def notify_user(user_id: int, label: str) -> int:
    user = get_user_model().objects.get(pk=user_id)
    return notify(kind="notices.system", title=f"from the worker {label}", user=user).pk

"""Beat publishes every declared periodic task: Celery refuses, at publishing, a task whose own
`time_limit` is below the global soft limit (it then logged a SchedulingError every few seconds
and the task never ran: notices.assign_cursors and outbox.purge did so)."""

from __future__ import annotations

import pytest
from kombu import Connection

from config.celery import app
from core.extensions.registry import registry


@pytest.fixture
def publishing(settings):
    """Publish for real (to an in-memory broker), as a beat process with the production limits does."""
    # What a beat process imports at start-up: every app's tasks module.
    app.loader.import_default_modules()
    app.autodiscover_tasks(lambda: settings.INSTALLED_APPS, force=True)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    with Connection("memory://") as connection:
        yield connection
    app.conf.task_always_eager = previous


def test_every_periodic_task_is_accepted_for_publishing(publishing):
    tasks = registry.periodic_tasks()
    assert tasks
    for declared in tasks:
        task = app.tasks[declared.task]
        result = task.apply_async(
            connection=publishing, queue=declared.queue, expires=declared.expires_seconds
        )
        assert result.id, declared.key

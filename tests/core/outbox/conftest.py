from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def in_process_tasks():
    """Unit tests run the outbox's tasks in-process in both modes (the e2e tests use a worker)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous

"""The Celery app. Periodic tasks come from the apps' declarations (core.extensions)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Every task refuses personal data in its arguments in development and tests (tasks take keys).
app = Celery("smartcommunity", task_cls="core.accounts.celery_guard:GuardedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def schedule_declared_periodic_tasks(sender: Celery, **kwargs) -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from core.extensions.registry import registry

    for task in registry.periodic_tasks():
        sender.add_periodic_task(
            task.schedule,
            sender.signature(task.task, queue=task.queue),
            name=task.key,
            expires=task.expires_seconds,
        )

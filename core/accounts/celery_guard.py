"""Celery task arguments never carry personal data: tasks take primary keys.

In development and tests (settings.CELERY_REFUSE_PERSONAL_DATA) a task whose arguments look like
an ID number or a mobile is refused when it is sent. The check lives in the app's task class
rather than on `before_task_publish`, because Celery swallows a receiver's exception there and
publishes nothing at all for eagerly run tasks; `apply_async` is what both paths go through.
"""

from __future__ import annotations

from celery.app.task import Task
from django.conf import settings

from core.audit.logging import looks_personal


class PersonalDataInTaskArguments(ValueError):
    pass


def check_task_arguments(task_name: str, args, kwargs) -> None:
    if looks_personal(list(args or ())) or looks_personal(dict(kwargs or {})):
        raise PersonalDataInTaskArguments(
            f"task {task_name} was given what looks like an ID number or a mobile; pass primary keys"
        )


class GuardedTask(Task):
    """The base of every task (config/celery.py sets it as the app's task class)."""

    def apply_async(self, args=None, kwargs=None, *rest, **options):
        if settings.CELERY_REFUSE_PERSONAL_DATA:
            check_task_arguments(self.name, args, kwargs)
        return super().apply_async(args, kwargs, *rest, **options)

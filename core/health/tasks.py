from __future__ import annotations

import os

from celery import shared_task
from celery.signals import worker_ready

from core.health import heartbeat


@shared_task(name="health.record_worker_heartbeat", ignore_result=True)
def record_worker_heartbeat() -> None:
    heartbeat.record()


@shared_task(name="health.ping")
def ping() -> dict:
    """Answers with the process that ran it: proves a task crossed from web to worker."""
    return {"pid": os.getpid(), "pong": True}


@worker_ready.connect
def beat_on_start(**kwargs) -> None:
    heartbeat.record()

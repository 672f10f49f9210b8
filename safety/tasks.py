"""Celery tasks of community safety, named safety.<name>; each calls a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="safety.mark_offline_devices")
def mark_offline_devices() -> int:
    from safety.offline import devices_mark_offline

    return len(devices_mark_offline())


@shared_task(name="safety.remind_incidents")
def remind_incidents() -> int:
    from safety.emergency import incidents_remind

    return incidents_remind()


@shared_task(name="safety.check_missed_contacts")
def check_missed_contacts() -> dict:
    from safety.care import missed_contacts_check

    return missed_contacts_check()

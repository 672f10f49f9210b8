"""When a resident dies or moves out (core.registry.signals.resident_left, inside the register's
transaction): their volunteer record stops being active and their open home-service orders
close. Idempotent: a repeated signal finds nothing left to change."""

from __future__ import annotations

from django.dispatch import receiver

from core.registry.models import Resident
from core.registry.signals import resident_left
from services.models import HomeOrder, Volunteer


@receiver(resident_left, sender=Resident, dispatch_uid="services-on-resident-left")
def on_resident_left(sender, *, resident, household, reason: str, on, actor, **kwargs) -> None:
    Volunteer.objects.filter(resident=resident, active=True).update(active=False)
    HomeOrder.objects.filter(resident=resident, status=HomeOrder.Status.OPEN).update(
        status=HomeOrder.Status.DONE
    )

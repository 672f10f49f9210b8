"""Open events follow their grid when the region tree changes; closed ones keep the place they had.
Likewise the shifts of the on-duty roster not over yet follow their community or street."""

from __future__ import annotations

from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from core.regions.models import Region
from core.regions.services import repath, subtree_moved
from core.workflow.models import DutyShift, Event


@receiver(subtree_moved, sender=Region, dispatch_uid="workflow-repath-open-events")
def repath_open_events(sender, *, old_path: str, new_path: str, **kwargs) -> None:
    Event.objects.open().filter(region_path__startswith=old_path).update(
        region_path=repath(old_path, new_path)
    )


@receiver(subtree_moved, sender=Region, dispatch_uid="workflow-repath-duty-shifts")
def repath_duty_shifts(sender, *, old_path: str, new_path: str, **kwargs) -> None:
    now = timezone.now()
    DutyShift.objects.filter(region_path__startswith=old_path, ends_at__gt=now).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=now)
    ).update(region_path=repath(old_path, new_path))

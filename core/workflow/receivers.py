"""Open events follow their grid when the region tree changes; closed ones keep the place they had."""

from __future__ import annotations

from django.dispatch import receiver

from core.regions.models import Region
from core.regions.services import repath, subtree_moved
from core.workflow.models import Event


@receiver(subtree_moved, sender=Region, dispatch_uid="workflow-repath-open-events")
def repath_open_events(sender, *, old_path: str, new_path: str, **kwargs) -> None:
    Event.objects.open().filter(region_path__startswith=old_path).update(
        region_path=repath(old_path, new_path)
    )

"""What follows a person (core.registry.signals.resident_left): a resident who moves out stops
being an active volunteer and their open home-service orders close; a second signal changes
nothing more."""

from __future__ import annotations

from django.utils import timezone

from core.registry.models import Resident
from core.registry.services_residents import resident_move_out
from core.registry.signals import resident_left
from services.models import HomeOrder, Volunteer
from tests.services import factories as f


def test_a_resident_who_moves_out_leaves_volunteering_and_their_orders_close(world):
    elder = f.elder(world.grid_a1)
    volunteer = f.volunteer(world.grid_a1, resident=elder)
    order = f.order(world.grid_a1, resident=elder)
    other = f.order(world.grid_a1)
    resident_move_out(actor=world.community_worker, resident=elder, moved_out_on=timezone.localdate())
    volunteer.refresh_from_db()
    assert volunteer.active is False
    assert HomeOrder.objects.get(pk=order.pk).status == "done"
    assert HomeOrder.objects.get(pk=other.pk).status == "open"
    resident_left.send(
        sender=Resident,
        resident=elder,
        household=None,
        reason="moved_out",
        on=timezone.localdate(),
        actor=None,
    )
    assert Volunteer.objects.filter(resident=elder, active=False).count() == 1

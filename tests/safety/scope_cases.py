"""Scope-matrix cases of community safety (/api/v1/safety/)."""

from __future__ import annotations

import itertools

from tests.scope_matrix.cases import Case, register
from tests.world import World

_serial = itertools.count(1)


def _house(world: World, community):
    from core.registry.models import House

    grid = world.grid_of(community)
    return House.objects.create(region=grid, region_path=grid.path, address=f"安全路{next(_serial)}号")


def _device(world: World, community):
    from tests.safety.factories import device

    return device(_house(world, community))


def _device_payload(world: World, community) -> dict:
    from tests.safety.factories import vendor

    vendor()
    return {
        "serial": f"MX-{next(_serial)}",
        "kind": "smoke",
        "vendor": "acme",
        "house": _house(world, community).pk,
    }


def _alarm(world: World, community):
    from django.utils import timezone

    from safety.models import Alarm

    made = _device(world, community)
    now = timezone.now()
    return Alarm.objects.create(
        device=made,
        house_id=made.house_id,
        region_id=made.region_id,
        region_path=made.region_path,
        kind="smoke",
        first_at=now,
        last_at=now,
    )


register(
    "safety-device",
    case=Case(
        make=_device,
        payload=_device_payload,
        update_payload=lambda world, community, obj: {"house": _house(world, community).pk},
        success={"move": 200, "retire": 200},
    ),
)
register("safety-alarm", case=Case(make=_alarm))

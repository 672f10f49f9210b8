"""Scope-matrix cases of the on-duty roster (/api/v1/events/duty-shifts/)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.accounts.roles import Role
from tests.scope_matrix.cases import Case, register
from tests.scope_matrix.world import World, make_staff


def _shift_in(world: World, community):
    from core.workflow.models import DutyShift

    start = timezone.now() + timedelta(hours=1)
    worker = make_staff(Role.COMMUNITY_WORKER, community)
    return DutyShift.objects.create(
        region=community, user=worker, starts_at=start, ends_at=start + timedelta(hours=12)
    )


def _shift_payload(world: World, community) -> dict:
    start = timezone.now() + timedelta(hours=1)
    return {
        "region": community.pk,
        "user": make_staff(Role.COMMUNITY_WORKER, community).pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=12)).isoformat(),
    }


register(
    "events-duty-shift",
    case=Case(
        make=_shift_in,
        payload=_shift_payload,
        # A roster belongs to the community itself, not to one of its grids.
        placed_at=lambda world, community: community,
    ),
)

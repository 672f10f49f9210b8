"""Affairs rows when the region tree changes (core.regions.services): what is still being handled
follows its grid or community; what was decided or closed keeps the place it had then, since
the statistics and the files of that time refer to it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from affairs.hotline.models import HotlineTicket
from affairs.models import Application, Benefit
from core.regions import services
from core.regions.models import Region
from core.workflow.models import Event
from tests.affairs.factories import application

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _ticket(number: str, region: Region, status: str) -> HotlineTicket:
    now = timezone.now()
    return HotlineTicket.objects.create(
        ticket_no=number,
        region=region,
        region_path=region.path,
        status=status,
        received_at=now,
        deadline=now + timedelta(days=5),
        category="市容",
        content="路灯不亮",
    )


def _benefit(world, app, *, ended_on=None) -> Benefit:
    return Benefit.objects.create(
        item=app.item,
        application=app,
        resident=world.applicant,
        household=world.household,
        region_path=app.region_path,
        monthly_amount=Decimal("800"),
        started_on=TODAY - timedelta(days=400),
        ended_on=ended_on,
    )


@pytest.fixture
def affairs_rows(world):
    """In 甲社区's 第1网格: a decided application with an ended and a running benefit, an open
    application, and a ticket being handled beside a closed one; at the community itself, an
    unrouted ticket and a closed one."""
    Status = HotlineTicket.Status
    decided = application(world.household, "dibao", applied_on=date(2024, 3, 1))
    Application.objects.filter(pk=decided.pk).update(stage="approved")
    Event.objects.filter(pk=decided.event_id).update(state="closed")
    grid, community = world.grid_a1, world.community_a
    return {
        "decided": decided,
        "open": application(world.household, "dibao", applied_on=TODAY),
        "ended_benefit": _benefit(world, decided, ended_on=TODAY - timedelta(days=30)),
        "running_benefit": _benefit(world, decided),
        "handling": _ticket("T-1", grid, Status.HANDLING),
        "closed": _ticket("T-2", grid, Status.CLOSED),
        "unrouted_at_community": _ticket("T-3", community, Status.UNROUTED),
        "closed_at_community": _ticket("T-4", community, Status.CLOSED),
    }


def _reread(rows: dict) -> dict:
    return {name: type(row).objects.get(pk=row.pk) for name, row in rows.items()}


def test_moving_a_grid_takes_open_affairs_with_it_and_leaves_decided_ones(world, affairs_rows):
    grid = world.grid_a1
    old_path = grid.path
    Region.objects.filter(pk=grid.pk).update(name="第9网格")  # free in the receiving community

    services.grid_move(actor=None, grid=grid, community=world.community_b)

    new_path = Region.objects.get(pk=grid.pk).path
    assert new_path == f"{world.community_b.path}{grid.pk}/"
    rows = _reread(affairs_rows)
    # Still being handled: follows the grid, with the work order under it.
    assert rows["open"].region_path == new_path
    assert Event.objects.get(pk=rows["open"].event_id).region_path == new_path
    assert rows["running_benefit"].region_path == new_path
    assert rows["handling"].region_path == new_path
    # Decided, ended or closed: the place it had.
    assert rows["decided"].region_path == old_path
    assert Event.objects.get(pk=rows["decided"].event_id).region_path == old_path
    assert rows["ended_benefit"].region_path == old_path
    assert rows["closed"].region_path == old_path
    # Rows at the community the grid left are not touched.
    assert rows["unrouted_at_community"].region_path == world.community_a.path


def test_merging_communities_moves_open_affairs_to_the_target_and_keeps_the_history(world, affairs_rows):
    source, target = world.community_a, world.community_b
    old_grid_path = world.grid_a1.path

    services.community_merge(actor=None, source=source, target=target)

    grid_path = Region.objects.get(pk=world.grid_a1.pk).path
    assert grid_path == f"{target.path}{world.grid_a1.pk}/"
    rows = _reread(affairs_rows)
    assert rows["open"].region_path == grid_path
    assert rows["running_benefit"].region_path == grid_path
    assert rows["handling"].region_path == grid_path
    # An open ticket placed at the merged community itself now belongs to the target node.
    unrouted = rows["unrouted_at_community"]
    assert (unrouted.region_id, unrouted.region_path) == (target.pk, target.path)
    # History stays where it happened, the merged community included.
    assert rows["decided"].region_path == old_grid_path
    assert rows["ended_benefit"].region_path == old_grid_path
    assert rows["closed"].region_path == old_grid_path
    closed = rows["closed_at_community"]
    assert (closed.region_id, closed.region_path) == (source.pk, source.path)


def test_after_a_move_the_receiving_community_sees_the_open_application(world, affairs_rows):
    grid = world.grid_a1
    Region.objects.filter(pk=grid.pk).update(name="第9网格")
    services.grid_move(actor=None, grid=grid, community=world.community_b)
    worker_b = type(world.worker_b).objects.get(pk=world.worker_b.pk)
    visible = set(Application.objects.visible_to(worker_b).values_list("pk", flat=True))
    assert affairs_rows["open"].pk in visible
    assert affairs_rows["decided"].pk not in visible

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from core.accounts.models import ResidentBinding, User
from core.accounts.roles import Role
from core.extensions import EventType
from core.extensions.registry import registry
from core.registry.models import House, Resident
from tests.core.registry.factories import Tree, region_tree, staff

HAZARD = EventType(
    key="tests.hazard",
    name="Hazard",
    domain="safety",
    sla_working_days=3,
    residents_may_report=True,
    duplicate_window_hours=24,
    open311=True,
)
APPROVAL = EventType(
    key="tests.approval",
    name="Approval",
    domain="affairs",
    sla_working_days=20,
    fixed_level=True,
    handler_role=Role.COMMUNITY_WORKER,
)
PATROL_ONLY = EventType(key="tests.patrol_only", name="Patrol finding", domain="safety", sla_working_hours=4)
# An emergency (an elderly person not responding): its half hour runs at night and on holidays.
ALARM = EventType(
    key="tests.alarm",
    name="Alarm",
    domain="safety",
    sla_working_hours=0.5,
    clock="round_the_clock",
    default_priority="urgent",
    duplicate_window_hours=None,
)


@pytest.fixture(autouse=True)
def event_types():
    with registry.temporarily("tests", HAZARD, APPROVAL, PATROL_ONLY, ALARM):
        yield


@dataclass
class World:
    tree: Tree
    house_a: House
    house_b: House
    lead: User
    grid_worker: User
    community_worker: User
    secretary: User
    street: User
    worker_b: User
    resident: User


def house(grid, address: str) -> House:
    return House.objects.create(region=grid, region_path=grid.path, address=address)


@pytest.fixture
def world(db) -> World:
    tree = region_tree()
    house_a = house(tree.grid_a1, "滨江路1号1栋101")
    house_b = house(tree.grid_b1, "滨江路9号2栋202")
    resident_user = User.objects.create(username="resident", is_staff=False)
    person = Resident.objects.create(
        region=tree.grid_a1, region_path=tree.grid_a1.path, name="张三", house=house_a
    )
    staff_role = staff  # readability below
    world = World(
        tree=tree,
        house_a=house_a,
        house_b=house_b,
        lead=staff_role(Role.GRID_WORKER, tree.grid_a1, is_lead=True, username="lead"),
        grid_worker=staff_role(Role.GRID_WORKER, tree.grid_a1, username="gridworker"),
        community_worker=staff_role(Role.COMMUNITY_WORKER, tree.community_a, username="cw"),
        secretary=staff_role(Role.COMMUNITY_SECRETARY, tree.community_a, username="secretary"),
        street=staff_role(Role.STREET_STAFF, tree.street, username="street"),
        worker_b=staff_role(Role.COMMUNITY_WORKER, tree.community_b, username="cwb"),
        resident=resident_user,
    )
    from core.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=resident_user, role=Role.RESIDENT, region=tree.grid_a1)
    ResidentBinding.objects.create(user=resident_user, resident=person)
    # Roles held since long ago, so tests that move the clock back still find them current.
    RoleAssignment.objects.update(starts_on=date(2020, 1, 1))
    return world

"""The governance tests' world: the one world (tests/world.py) with, in 甲社区, the householder's
household of three (an adult spouse and a minor child) and a second household with its own
bound resident; 乙社区 keeps its resident-less register."""

from __future__ import annotations

from datetime import date

import pytest

from core.registry.models import House, Household, Resident
from tests.world import World, make_resident_record, make_resident_user


def person(household: Household, name: str, birth: date, **fields) -> Resident:
    return make_resident_record(
        household.region, name=name, birth=birth, house=household.house, household=household, **fields
    )


def household_in(grid, number: str) -> Household:
    house = House.objects.create(region=grid, region_path=grid.path, address=f"共治路{number}号")
    return Household.objects.create(region=grid, region_path=grid.path, house=house, number=number)


@pytest.fixture
def world(world: World) -> World:
    world.spouse = person(world.household, "李小红", date(1972, 3, 1), relation="spouse")
    world.child = person(world.household, "王小明", date(2015, 9, 1), relation="child")
    world.spouse_user = make_resident_user(world.grid_a1, world.spouse, username="spouse")
    world.neighbour_household = household_in(world.grid_a2, "H002")
    world.neighbour = person(world.neighbour_household, "赵四", date(1980, 1, 1))
    world.neighbour_user = make_resident_user(world.grid_a2, world.neighbour, username="neighbour")
    return world

"""The affairs tests' world: the one world (tests/world.py) with a household of three in 甲社区
(the bound resident's record is its householder) and a second reviewer at the street and at the
district (so review and confirmation there can be made by different people)."""

from __future__ import annotations

from datetime import date

import pytest

from core.accounts.roles import Role
from core.registry.models import Household, Resident
from tests.world import ROLES_SINCE, World, make_resident_record, make_staff


def person(household: Household, name: str, birth: date, **fields) -> Resident:
    """A member of `household`, living in its house."""
    return make_resident_record(
        household.region, name=name, birth=birth, house=household.house, household=household, **fields
    )


def add_family(world: World) -> None:
    """The applicant's spouse and child join household H001."""
    world.spouse = person(world.household, "李小红", date(1972, 3, 1))
    world.child = person(world.household, "王小明", date(2012, 9, 1))


def add_second_reviewers(world: World) -> None:
    """A second street and district staff member: whoever reviews may not also confirm."""
    world.street_staff_2 = make_staff(Role.STREET_STAFF, world.street, username="street_staff_2")
    world.district_staff_2 = make_staff(Role.DISTRICT_STAFF, world.district, username="district_staff_2")
    for user in (world.street_staff_2, world.district_staff_2):
        user.roles.update(starts_on=ROLES_SINCE)


@pytest.fixture
def world(world: World) -> World:
    add_family(world)
    add_second_reviewers(world)
    return world

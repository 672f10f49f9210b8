"""An affairs world: a street with two communities, a household of three in 甲社区 with a bound
resident account, the staff of each level (two at the street, so review and confirmation there
can be made by different people), and a worker of the sibling community."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from core.accounts.models import ResidentBinding, RoleAssignment, User
from core.accounts.roles import Role
from core.registry.identity import identity_columns
from core.registry.models import House, Household, Resident
from tests.core.registry.factories import Tree, id_number, region_tree, staff


@dataclass
class AffairsWorld:
    tree: Tree
    house: House
    household: Household
    applicant: Resident
    spouse: Resident
    child: Resident
    resident_user: User
    grid_worker: User
    community_worker: User
    secretary: User
    street: User
    street_2: User
    district: User
    district_2: User
    worker_b: User


def person(household: Household, name: str, birth: date, **fields) -> Resident:
    return Resident.objects.create(
        region=household.region,
        region_path=household.region_path,
        house=household.house,
        household=household,
        name=name,
        **identity_columns("id_card", id_number(birth)),
        **fields,
    )


@pytest.fixture
def world(db) -> AffairsWorld:
    tree = region_tree()
    grid = tree.grid_a1
    house = House.objects.create(region=grid, region_path=grid.path, address="滨江路1号1栋101")
    household = Household.objects.create(region=grid, region_path=grid.path, house=house, number="H001")
    applicant = person(household, "王大明", date(1970, 5, 1))
    household.householder = applicant
    household.save()
    resident_user = User.objects.create(username="wang", is_staff=False)
    RoleAssignment.objects.create(user=resident_user, role=Role.RESIDENT, region=grid)
    ResidentBinding.objects.create(user=resident_user, resident=applicant)
    world = AffairsWorld(
        tree=tree,
        house=house,
        household=household,
        applicant=applicant,
        spouse=person(household, "李小红", date(1972, 3, 1)),
        child=person(household, "王小明", date(2012, 9, 1)),
        resident_user=resident_user,
        grid_worker=staff(Role.GRID_WORKER, grid, username="grid"),
        community_worker=staff(Role.COMMUNITY_WORKER, tree.community_a, username="cw"),
        secretary=staff(Role.COMMUNITY_SECRETARY, tree.community_a, username="secretary"),
        street=staff(Role.STREET_STAFF, tree.street, username="street"),
        street_2=staff(Role.STREET_STAFF, tree.street, username="street2"),
        district=staff(Role.DISTRICT_STAFF, tree.district, username="district"),
        district_2=staff(Role.DISTRICT_STAFF, tree.district, username="district2"),
        worker_b=staff(Role.COMMUNITY_WORKER, tree.community_b, username="cwb"),
    )
    RoleAssignment.objects.update(starts_on=date(2020, 1, 1))
    return world

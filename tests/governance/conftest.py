"""The governance tests' world: the one world (tests/world.py) with, in 甲社区, the householder's
household of three (an adult spouse and a minor child) and a second household with its own
bound resident; 乙社区 keeps its resident-less register. `village` makes 甲社区 a village with a
registered family of four and an election of three seats under 安徽's rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.regions.models import Region
from core.registry.models import House, Household, Resident
from governance import elections as e
from tests.world import World, make_resident_record, make_resident_user

REGISTERED = Resident.ResidenceType.REGISTERED
CONDITIONS = ["on_roll", "no_criminal_record", "not_dishonest_debtor"]
ALL_MET = {key: {"met": True} for key in CONDITIONS}


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


@pytest.fixture
def village(world):
    """甲社区 as a village: a household of four registered adults and one living away, the world's
    household registered too; rules of 安徽 with a proxy cap of 2 (a province's own)."""
    world.community_a.community_kind = Region.CommunityKind.VILLAGE_COMMITTEE
    world.community_a.save(update_fields=["community_kind"])
    Resident.objects.filter(region_path__startswith=world.community_a.path).update(residence_type=REGISTERED)
    family = household_in(world.grid_a1, "H010")
    world.family = [
        person(family, name, birth, relation=relation, residence_type=REGISTERED)
        for name, birth, relation in [
            ("孙大", date(1950, 1, 1), "self"),
            ("孙二", date(1975, 1, 1), "child"),
            ("孙三", date(1978, 1, 1), "child"),
            ("孙四", date(1980, 1, 1), "child"),
        ]
    ]
    world.rules = e.rules_add(
        actor=world.district_staff,
        province="安徽",
        starts_on=date(2020, 1, 1),
        proxy_cap=2,
        candidate_conditions=CONDITIONS,
        source="安徽省村民委员会选举办法",
    )
    world.voting_day = timezone.localdate() + timedelta(days=30)
    world.election = e.election_announce(
        actor=world.community_worker,
        community=world.community_a.pk,
        province="安徽",
        term_year=2026,
        seats=3,
        voting_day=world.voting_day,
    )
    return world

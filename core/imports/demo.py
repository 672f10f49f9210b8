"""The demo and benchmark dataset: 芜湖 (Wuhu), its housing and residents, and demo accounts.

Used by `manage.py seed_demo` and by bench/. Deterministic for a seed. The register is written a
grid at a time through the import's bulk writer (COPY on PostgreSQL), so memory stays flat and a
million residents take minutes; links that need every row (householders, owners) are then set
with one UPDATE each.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from core.accounts.models import RoleAssignment, User
from core.accounts.roles import Role, role_label
from core.imports.bulk import insert_rows
from core.imports.synthetic import REFERENCE_DATE, PeopleFactory, SyntheticHousehold
from core.regions.models import Region
from core.registry.identity import identity_columns, name_pinyin, phone_columns
from core.registry.models import Building, Compound, House, Household, Resident, ResidentTag, Unit

CITY = ("芜湖市", "340200")
# The seven county-level divisions of Wuhu as in 2021, with their administrative codes.
DISTRICTS = [
    ("镜湖区", "340202"),
    ("鸠江区", "340207"),
    ("弋江区", "340209"),
    ("湾沚区", "340210"),
    ("繁昌区", "340212"),
    ("南陵县", "340223"),
    ("无为市", "340281"),
]
# Where each division's grids are laid (WGS-84 longitude, latitude): a point in the real urban
# area of each (镜湖区 around the old city centre, the others around their seats), so a report from
# the city lands in a grid. The tiling itself is synthetic: rectangles in a square of DEMO_SQUARE
# degrees (about 3 km) around the point, as many as the division has grids; the squares do not
# overlap each other.
DISTRICT_CENTRES = {
    "340202": (118.375, 31.330),  # 镜湖区
    "340207": (118.400, 31.375),  # 鸠江区
    "340209": (118.375, 31.285),  # 弋江区
    "340210": (118.575, 31.135),  # 湾沚区
    "340212": (118.200, 31.080),  # 繁昌区
    "340223": (118.335, 30.920),  # 南陵县
    "340281": (117.905, 31.305),  # 无为市
}
DEMO_SQUARE = 0.03
STREET_SUFFIXES = ["街道", "镇"]
# Synthetic stems for street, community and compound names (the demo claims no real boundaries:
# its grids lie in the real urban areas, but their shapes are a plain tiling).
STREET_STEMS = (
    "青山",
    "江城",
    "滨江",
    "长江",
    "赭山",
    "天门",
    "弋阳",
    "鸠兹",
    "凤鸣",
    "白马",
    "荆山",
    "峨桥",
    "花津",
    "南湖",
    "北门",
    "新芜",
)
COMPOUND_STEMS = (
    "锦绣",
    "阳光",
    "金色",
    "翠竹",
    "和平",
    "幸福",
    "春江",
    "东方",
    "碧桂",
    "香樟",
    "紫云",
    "汀兰",
    "凤凰",
    "银湖",
    "晨曦",
    "月湖",
)
COMPOUND_SUFFIXES = ("花园", "小区", "新村", "家园", "苑")
FLOORS, UNITS_PER_BUILDING, ROOMS_PER_FLOOR = 6, 2, 2
VACANCY = 0.08
DEMO_PASSWORD = "demo-Passw0rd-2026"  # noqa: S105 - demo dataset only; refused in production
# username, display name, superuser, role held (at the first community, its first grid, its street
# or its district)
DEMO_ACCOUNTS = [
    ("admin", "系统管理员（演示）", True, None),
    ("worker", "社区工作者（演示）", False, Role.COMMUNITY_WORKER),
    ("gridlead", "网格长（演示）", False, Role.GRID_WORKER),
    ("street", "街道工作人员（演示）", False, Role.STREET_STAFF),
    # A second person at the street: where review and confirmation both sit there (低保, 特困),
    # the confirmer must be another person than the reviewer.
    ("street2", "街道审批人员（演示）", False, Role.STREET_STAFF),
    # The third kind of user: district staff (区民政局) who configure standards and supervise.
    ("district", "区民政局工作人员（演示）", False, Role.DISTRICT_STAFF),
]
ROLE_LEVEL = {
    Role.COMMUNITY_WORKER: Region.Level.COMMUNITY,
    Role.GRID_WORKER: Region.Level.GRID,
    Role.STREET_STAFF: Region.Level.STREET,
    Role.DISTRICT_STAFF: Region.Level.DISTRICT,
}


@dataclass(frozen=True)
class TreeShape:
    streets: int
    communities: int
    grids: int


def tree_shape(residents: int) -> TreeShape:
    """Two streets of two communities of two grids per district up to ~56,000 residents; then the
    tree grows evenly in each level so that a grid keeps about a thousand residents, as in life."""
    factor = max(1.0, residents / 56_000) ** (1 / 3)
    size = min(len(STREET_STEMS), max(2, round(2 * factor)))
    return TreeShape(size, size, size)


def _node(
    name: str,
    level: int,
    parent: Region | None,
    code: str = "",
    community_kind: str = "",
    boundary: dict | None = None,
) -> Region:
    node, _created = Region.objects.get_or_create(
        parent=parent,
        name=name,
        defaults={"level": level, "code": code, "community_kind": community_kind, "boundary": boundary},
    )
    if boundary is not None and node.boundary is None:  # a tree seeded before grids had boundaries
        node.boundary = boundary
        node.save(update_fields=["boundary"])
    return node


def grid_boundaries(centre: tuple[float, float], count: int) -> list[dict]:
    """`count` GeoJSON rectangles tiling a DEMO_SQUARE-degree square around the centre, row by row
    from the north-west corner (every one valid, none overlapping)."""
    columns = math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    width, height = DEMO_SQUARE / columns, DEMO_SQUARE / rows
    west, north = centre[0] - DEMO_SQUARE / 2, centre[1] + DEMO_SQUARE / 2
    boundaries = []
    for index in range(count):
        row, column = divmod(index, columns)
        x0, y1 = west + column * width, north - row * height
        x1, y0 = x0 + width, y1 - height
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        boundaries.append({"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]})
    return boundaries


def _community(stem: str, index: int, street: Region) -> Region:
    """A street's communities are residents' committees; a town (镇) has one at its seat and
    villages (村) around it, whose committees are elected under another law."""
    Kind = Region.CommunityKind
    if street.name.endswith("镇") and index > 1:
        return _node(
            f"{stem}第{index}村", Region.Level.COMMUNITY, street, community_kind=Kind.VILLAGE_COMMITTEE
        )
    return _node(
        f"{stem}第{index}社区", Region.Level.COMMUNITY, street, community_kind=Kind.RESIDENTS_COMMITTEE
    )


def build_regions(
    rng: random.Random, shape: TreeShape, city_name: str = CITY[0]
) -> tuple[Region, dict[str, int]]:
    counts = dict.fromkeys(("districts", "streets", "communities", "grids"), 0)
    city = _node(city_name, Region.Level.CITY, None, CITY[1])
    for district_name, district_code in DISTRICTS:
        district = _node(district_name, Region.Level.DISTRICT, city, district_code)
        counts["districts"] += 1
        boundaries = iter(
            grid_boundaries(DISTRICT_CENTRES[district_code], shape.streets * shape.communities * shape.grids)
        )
        for s_index, stem in enumerate(rng.sample(STREET_STEMS, shape.streets), start=1):
            street_name = f"{stem}{STREET_SUFFIXES[s_index % 2]}"
            street = _node(street_name, Region.Level.STREET, district, f"{district_code}{s_index:03d}")
            counts["streets"] += 1
            for c_index in range(1, shape.communities + 1):
                community = _community(stem, c_index, street)
                counts["communities"] += 1
                for g_index in range(1, shape.grids + 1):
                    _node(f"第{g_index}网格", Region.Level.GRID, community, boundary=next(boundaries))
                    counts["grids"] += 1
    return city, counts


def analyze(*models) -> None:
    """Refresh the planner's statistics of tables just filled in this transaction: with the old
    ones it takes a table of 300,000 rows for an empty one and a correlated UPDATE turns quadratic."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@cache  # bounded by the synthetic name space (~200k), not by N
def _pinyin(name: str) -> tuple[str, str]:
    return name_pinyin(name)


class RegisterWriter:
    """Fills each grid with a compound, its buildings, units, houses, households and residents."""

    def __init__(self, seed: int, id_codes: tuple[str, ...] | None = None) -> None:
        self.rng = random.Random(f"{seed}:register")  # noqa: S311 - synthetic demo data
        self.people = PeopleFactory(self.rng, id_codes)
        self.household_sequence = 0
        self.counts = dict.fromkeys(("houses", "households", "residents", "tags"), 0)

    def fill(self, grid: Region, residents: int) -> None:
        community, street, district = grid.parent, grid.parent.parent, grid.parent.parent.parent
        households = self._households(district.code, residents)
        houses = self._housing(grid, community, street, district, math.ceil(len(households) * (1 + VACANCY)))
        self._register(grid, district.code, households, houses)

    def _households(self, district_code: str, residents: int) -> list[SyntheticHousehold]:
        households, count = [], 0
        while count < residents:
            household = self.people.household(district_code)
            household.members = household.members[: residents - count]
            households.append(household)
            count += len(household.members)
        return households

    def _housing(self, grid, community, street, district, wanted: int) -> list[dict]:
        rng = self.rng
        compound_name = rng.choice(COMPOUND_STEMS) + rng.choice(COMPOUND_SUFFIXES)
        address = f"芜湖市{district.name}{street.name}{compound_name}"
        (compound_id,) = insert_rows(
            Compound,
            [
                {
                    "name": compound_name,
                    "address": address,
                    "region_id": community.pk,
                    "region_path": community.path,
                }
            ],
        )
        per_building = FLOORS * UNITS_PER_BUILDING * ROOMS_PER_FLOOR
        building_count = max(1, math.ceil(wanted / per_building))
        building_ids = insert_rows(
            Building,
            [
                {
                    "compound_id": compound_id,
                    "name": f"{number}栋",
                    "address": f"{address}{number}栋",
                    "floors": FLOORS,
                    "region_id": grid.pk,
                    "region_path": grid.path,
                }
                for number in range(1, building_count + 1)
            ],
        )
        units = [(b_id, b_no, u_no) for b_no, b_id in enumerate(building_ids, 1) for u_no in (1, 2)]
        unit_ids = insert_rows(
            Unit, [{"building_id": b_id, "name": f"{u_no}单元"} for b_id, _b, u_no in units]
        )
        houses = []
        for unit_id, (building_id, b_no, u_no) in zip(unit_ids, units, strict=True):
            for floor in range(1, FLOORS + 1):
                for room in range(1, ROOMS_PER_FLOOR + 1):
                    number = f"{floor}{room:02d}"
                    houses.append(
                        {
                            "building_id": building_id,
                            "unit_id": unit_id,
                            "number": number,
                            "address": f"{address}{b_no}栋{u_no}单元{number}室",
                            "region_id": grid.pk,
                            "region_path": grid.path,
                            "occupancy": House.Occupancy.VACANT,
                        }
                    )
        return houses[:wanted]

    def _register(
        self, grid, district_code: str, households: list[SyntheticHousehold], houses: list[dict]
    ) -> None:
        for house, household in zip(houses, households, strict=False):
            floating = household.residence_type == Resident.ResidenceType.FLOATING
            house["occupancy"] = House.Occupancy.RENTED if floating else House.Occupancy.SELF_OCCUPIED
        house_ids = insert_rows(House, houses)
        household_rows = []
        for house_id, house, _household in zip(house_ids, houses, households, strict=False):
            self.household_sequence += 1
            household_rows.append(
                {
                    "number": f"{district_code}{self.household_sequence:08d}",
                    "house_id": house_id,
                    "registered_address": house["address"],
                    "region_id": grid.pk,
                    "region_path": grid.path,
                }
            )
        household_ids = insert_rows(Household, household_rows)
        resident_rows, people = [], []
        for household_id, house_id, house, household in zip(
            household_ids, house_ids, houses, households, strict=False
        ):
            moved_in_on = REFERENCE_DATE - timedelta(days=self.rng.randrange(30, 20 * 365))
            registered = household.residence_type != Resident.ResidenceType.FLOATING
            for person in household.members:
                initials, pinyin = _pinyin(person.name)
                landline = household.landline if person.relation == "self" else ""
                resident_rows.append(
                    {
                        "name": person.name,
                        "name_initials": initials,
                        "name_pinyin": pinyin,
                        "document_type": Resident.DocumentType.ID_CARD,
                        **identity_columns(Resident.DocumentType.ID_CARD, person.id_number),
                        **phone_columns(person.mobile, landline),
                        "ethnicity": person.ethnicity,
                        "residence_type": household.residence_type,
                        "household_id": household_id,
                        "relation": person.relation,
                        "registered_address": house["address"] if registered else "",
                        "house_id": house_id,
                        "region_id": grid.pk,
                        "region_path": grid.path,
                        "moved_in_on": max(moved_in_on, person.birth_date),
                    }
                )
                people.append(person)
        resident_ids = insert_rows(Resident, resident_rows)
        tag_rows = [
            {
                "resident_id": resident_id,
                "tag": key,
                "attributes": attributes,
                "source": ResidentTag.Source.WORKER,
                "started_on": REFERENCE_DATE - timedelta(days=self.rng.randrange(1, 5 * 365)),
            }
            for resident_id, person in zip(resident_ids, people, strict=True)
            for key, attributes in person.tags
        ]
        insert_rows(ResidentTag, tag_rows)
        self.counts["houses"] += len(house_ids)
        self.counts["households"] += len(household_ids)
        self.counts["residents"] += len(resident_ids)
        self.counts["tags"] += len(tag_rows)


def seed_register(
    city: Region,
    *,
    residents: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
    id_codes: tuple[str, ...] | None = None,
) -> dict[str, int] | None:
    """Fill the city's grids with `residents` people; None if the city already has a register."""
    if Resident.objects.filter(region_path__startswith=city.path).exists():
        return None
    grids = list(
        Region.objects.filter(level=Region.Level.GRID, path__startswith=city.path)
        .select_related("parent__parent__parent")
        .order_by("id")
    )
    writer = RegisterWriter(seed, id_codes)
    base, extra = divmod(residents, len(grids))
    for index, grid in enumerate(grids):
        quota = base + (1 if index < extra else 0)
        if quota:
            writer.fill(grid, quota)
        if progress is not None:
            progress(index + 1, len(grids))
    _link(city)
    return writer.counts


def _link(city: Region) -> None:
    """Householders and owners, set-based once everything is written."""
    analyze(Household, Resident, House)
    households = Household.objects.filter(region_path__startswith=city.path, householder__isnull=True)
    householder = Resident.objects.filter(household=OuterRef("pk"), relation=Resident.Relation.SELF)
    households.update(householder=Subquery(householder.values("id")[:1]))
    owned = House.objects.filter(
        region_path__startswith=city.path, occupancy=House.Occupancy.SELF_OCCUPIED, owner__isnull=True
    )
    owner = Household.objects.filter(house=OuterRef("pk")).values("householder_id")[:1]
    owned.update(owner=Subquery(owner))


def demo_accounts(city: Region) -> list[tuple[str, str, str]]:
    """The demo accounts, each with its role at the first community, its first grid, its street or
    its district."""
    community = (
        Region.objects.filter(level=Region.Level.COMMUNITY, path__startswith=city.path).order_by("id").first()
    )
    places = {
        Region.Level.COMMUNITY: community,
        Region.Level.GRID: community.children.order_by("id").first(),
        Region.Level.STREET: community.parent,
        Region.Level.DISTRICT: community.parent.parent,
    }
    created = []
    for username, display_name, superuser, role in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(username=username)
        user.display_name = display_name
        user.is_staff = True
        user.is_superuser = superuser
        user.set_password(DEMO_PASSWORD)
        where = ""
        if role is not None:
            region = places[ROLE_LEVEL[role]]
            user.region = region
            RoleAssignment.objects.get_or_create(
                user=user, role=role, region=region, defaults={"is_lead": role == Role.GRID_WORKER}
            )
            where = f"{role_label(role)} · {region.name}"
        user.save()
        created.append((username, display_name, where))
    return created


def seed_demo(*, residents: int, seed: int, shape: TreeShape | None = None, progress=None) -> dict:
    """Everything `manage.py seed_demo` loads, in one transaction."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo data
    with transaction.atomic():
        city, regions = build_regions(rng, shape or tree_shape(residents))
        register = seed_register(city, residents=residents, seed=seed, progress=progress) if residents else {}
        accounts = demo_accounts(city)
        extras = [
            summary for summary in _contributed_demo_data(city, residents=residents, seed=seed) if summary
        ]
    return {"regions": regions, "register": register, "accounts": accounts, "extras": extras}


def _contributed_demo_data(city: Region, *, residents: int, seed: int) -> list[str]:
    """What the other parts add to the demo (core.extensions.DemoData), in registry order, each
    in proportion to the residents asked for."""
    from django.utils.module_loading import import_string

    from core.extensions import DemoData
    from core.extensions.demo import DemoScale
    from core.extensions.registry import registry

    scale = DemoScale(residents=residents, seed=seed)
    return [import_string(item.loader)(city, scale=scale) for item in registry.items(DemoData.kind)]

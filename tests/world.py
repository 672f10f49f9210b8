"""The one test world: a region tree with two sibling communities, a named sample user for every
role, and the register's sample rows. Every test package builds on it; a domain adds its own rows
with small functions taking the world (tests/affairs/conftest.py), never with a copy of it.

    芜湖市 → 镜湖区 → 滨江街道 → 甲社区 (第1网格, 第2网格)
                               → 乙社区 (第1网格)

The people (each role held as low as its levels allow in 甲社区's branch, see ROLE_NODES):

    resident_user       resident of 甲社区 第1网格, bound to the householder 王大明
    lead, grid_worker   grid workers of 甲社区 第1网格 (the lead takes new events)
    community_worker    secretary              of 甲社区
    street_staff        district_staff         of 滨江街道 and 镜湖区
    system_admin        security_admin         audit_admin, at 镜湖区
    worker_b            community worker of the sibling 乙社区

The register's rows: house_a (滨江路1号1栋101, 甲社区 第1网格) with household H001 whose
householder is `applicant`; house_b (滨江路9号2栋202, 乙社区 第1网格). Tests that count every
row of the register build the world without them (build_world(register_rows=False)).

The `world` fixture (tests/conftest.py) builds it; a package's conftest overrides the fixture to
add its own rows (tests/affairs/conftest.py adds a family and second reviewers).

Role keys are read from core.accounts.roles only (Role, in ROLE_NODES and SAMPLE_USERS below), so a
renamed key changes there and in no test.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

from core.accounts.models import ResidentBinding, RoleAssignment, User
from core.accounts.roles import Role, reaches_subtree, role_levels
from core.pii.validators import id_number_check_char
from core.regions.models import Region

PASSWORD = "Tk7#mQ2!vR9@pL4z"
# Sample roles are held since long ago, so tests that move the clock back still find them current.
ROLES_SINCE = date(2020, 1, 1)
_serial = itertools.count(1)


# people and identities ----------------------------------------------------------------------------


def id_number(birth: date = date(1990, 1, 1), *, female: bool = False, area: str | None = None) -> str:
    """A valid 18-character ID number (check digit right), different on every call.

    Three sequence digits give 500 numbers per birth date and sex: past those (a test that
    builds hundreds of people) the district part of the area code moves on (340202, 340203 …)."""
    serial = next(_serial)
    sequence = serial % 500
    if area is None:
        area = f"3402{(2 + serial // 500) % 100:02d}"
    third = sequence * 2 % 10 + (0 if female else 1)  # odd for men, even for women
    first17 = f"{area}{birth:%Y%m%d}{sequence // 5 % 100:02d}{third % 10}"
    if (int(first17[-1]) % 2 == 1) == female:
        first17 = first17[:-1] + str((int(first17[-1]) + 1) % 10)
    return first17 + id_number_check_char(first17)


def mobile() -> str:
    return f"139{next(_serial):08d}"


def make_user(
    *, region: Region | None = None, username: str | None = None, password: str = PASSWORD, **fields
) -> User:
    """A staff account (unless is_staff=False) that signs in with `password`."""
    fields.setdefault("is_staff", True)
    user = User(username=username or f"user{next(_serial)}", region=region, **fields)
    user.set_password(password)
    user.save()
    return user


def grant(user: User, role: str, region: Region, *, is_lead: bool = False, **fields) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, region=region, is_lead=is_lead, **fields)


def make_staff(role: str, region: Region, *, is_lead: bool = False, **fields) -> User:
    """A new account holding `role` at `region`."""
    user = make_user(region=region, **fields)
    grant(user, role, region, is_lead=is_lead)
    return user


def make_resident_record(
    region: Region,
    *,
    number: str | None = None,
    phone: str | None = None,
    name: str = "张三",
    birth: date | None = None,
    **fields,
):
    """A resident in the register at `region`, written directly (no audit row, no rules run)."""
    from core.registry.identity import identity_columns, name_pinyin, phone_columns
    from core.registry.models import Resident

    initials, full = name_pinyin(name)
    if number is None:
        number = id_number(birth) if birth else id_number()
    return Resident.objects.create(
        name=name,
        name_initials=initials,
        name_pinyin=full,
        region=region,
        region_path=region.path,
        **identity_columns("id_card", number),
        **phone_columns(mobile=phone if phone is not None else mobile()),
        **fields,
    )


def bind_resident(user: User, record, region: Region) -> User:
    """`user` becomes the resident `record`'s account, holding the resident role at `region`."""
    ResidentBinding.objects.create(user=user, resident=record)
    grant(user, Role.RESIDENT, region)
    user.resident_record = record
    return user


def make_resident_user(region: Region, record=None, **fields) -> User:
    """An account bound to a resident record in `region` (a grid), holding the resident role."""
    record = record or make_resident_record(region)
    user = make_user(region=region, is_staff=False, **fields)
    return bind_resident(user, record, region)


# the region tree ----------------------------------------------------------------------------------


@dataclass
class Tree:
    city: Region
    district: Region
    street: Region
    community_a: Region
    community_b: Region
    grid_a1: Region
    grid_a2: Region
    grid_b1: Region

    def grid_of(self, community: Region) -> Region:
        """The first grid of 甲社区 or 乙社区."""
        return self.grid_a1 if community == self.community_a else self.grid_b1


def region(name: str, level: int, parent: Region | None = None, **fields) -> Region:
    node = Region.objects.create(name=name, level=level, parent=parent, **fields)
    node.refresh_from_db()  # the path is written by the database
    return node


def region_tree() -> Tree:
    """芜湖市 → 镜湖区 → 滨江街道 → 甲社区 (第1、第2网格), 乙社区 (第1网格); nobody in it."""
    city = region("芜湖市", Region.Level.CITY, code="340200")
    district = region("镜湖区", Region.Level.DISTRICT, city, code="340202")
    street = region("滨江街道", Region.Level.STREET, district)
    community_a = region("甲社区", Region.Level.COMMUNITY, street)
    community_b = region("乙社区", Region.Level.COMMUNITY, street)
    grid_a1 = region("第1网格", Region.Level.GRID, community_a)
    grid_a2 = region("第2网格", Region.Level.GRID, community_a)
    grid_b1 = region("第1网格", Region.Level.GRID, community_b)
    return Tree(city, district, street, community_a, community_b, grid_a1, grid_a2, grid_b1)


# the world ----------------------------------------------------------------------------------------

# Where each role's sample user is held: as low as the role's levels allow in 甲社区's branch.
ROLE_NODES: dict[str, str] = {
    Role.RESIDENT: "grid_a1",
    Role.GRID_WORKER: "grid_a1",
    Role.COMMUNITY_WORKER: "community_a",
    Role.COMMUNITY_SECRETARY: "community_a",
    Role.STREET_STAFF: "street",
    Role.DISTRICT_STAFF: "district",
    Role.SYSTEM_ADMIN: "district",
    Role.SECURITY_ADMIN: "district",
    Role.AUDIT_ADMIN: "district",
}
# The world's attribute naming each role's sample user.
# The world's node at each level of the tree, in 甲社区's branch.
LEVEL_NODES: dict[int, str] = {1: "city", 2: "district", 3: "street", 4: "community_a", 5: "grid_a1"}

SAMPLE_USERS: dict[str, str] = {
    Role.RESIDENT: "resident_user",
    Role.GRID_WORKER: "grid_worker",
    Role.COMMUNITY_WORKER: "community_worker",
    Role.COMMUNITY_SECRETARY: "secretary",
    Role.STREET_STAFF: "street_staff",
    Role.DISTRICT_STAFF: "district_staff",
    Role.SYSTEM_ADMIN: "system_admin",
    Role.SECURITY_ADMIN: "security_admin",
    Role.AUDIT_ADMIN: "audit_admin",
}


@dataclass
class World(Tree):
    house_a: object = None
    house_b: object = None
    household: object = None
    applicant: object = None  # the householder of house_a, resident_user's record
    resident_user: User | None = None
    lead: User | None = None
    grid_worker: User | None = None
    community_worker: User | None = None
    secretary: User | None = None
    street_staff: User | None = None
    district_staff: User | None = None
    system_admin: User | None = None
    security_admin: User | None = None
    audit_admin: User | None = None
    worker_b: User | None = None
    # Sample holders of the roles other apps declare (a domain's own), made on first use.
    declared_samples: dict = field(default_factory=dict)

    def node_of(self, role: str) -> Region:
        """Where the sample holder of `role` holds it: a core role's node above; a role another
        app declares, as low in 甲社区's branch as its levels allow."""
        if role in ROLE_NODES:
            return getattr(self, ROLE_NODES[role])
        return getattr(self, LEVEL_NODES[max(role_levels(role))])

    def sample(self, role: str) -> User:
        """The world's sample user holding `role` (made on first use for a role another app declares)."""
        if role in SAMPLE_USERS:
            return getattr(self, SAMPLE_USERS[role])
        if role not in self.declared_samples:
            self.declared_samples[role] = self.new_holder(role)
        return self.declared_samples[role]

    def new_holder(self, role: str) -> User:
        """Another account holding `role` where the sample one does."""
        node = self.node_of(role)
        if not reaches_subtree(role):
            return make_resident_user(node)
        return make_staff(role, node)


def build_world(*, register_rows: bool = True) -> World:
    """The world. register_rows=False leaves the register empty (no houses, household or residents,
    so no resident_user either) for tests that count every row in it, such as imports and exports."""
    from core.registry.models import House, Household

    tree = region_tree()
    world = World(**vars(tree))
    grid = world.grid_a1
    if register_rows:
        world.house_a = House.objects.create(region=grid, region_path=grid.path, address="滨江路1号1栋101")
        world.house_b = House.objects.create(
            region=world.grid_b1, region_path=world.grid_b1.path, address="滨江路9号2栋202"
        )
        world.household = Household.objects.create(
            region=grid, region_path=grid.path, house=world.house_a, number="H001"
        )
        world.applicant = make_resident_record(
            grid, name="王大明", birth=date(1970, 5, 1), house=world.house_a, household=world.household
        )
        world.household.householder = world.applicant
        world.household.save(update_fields=["householder"])
        world.resident_user = make_resident_user(grid, world.applicant, username="resident")
    world.lead = make_staff(Role.GRID_WORKER, grid, is_lead=True, username="lead")
    for role, attribute in SAMPLE_USERS.items():
        if role != Role.RESIDENT:
            setattr(world, attribute, make_staff(role, world.node_of(role), username=attribute))
    world.worker_b = make_staff(Role.COMMUNITY_WORKER, world.community_b, username="worker_b")
    RoleAssignment.objects.filter(region__path__startswith=world.city.path).update(starts_on=ROLES_SINCE)
    return world

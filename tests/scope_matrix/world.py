"""A small region tree and people in it, shared by the accounts, audit and scope-matrix tests.

芜湖市 → 镜湖区 → 滨江街道 → 甲社区 (甲1网格) and its sibling 乙社区 (乙1网格).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from core.accounts.models import RoleAssignment, User
from core.accounts.roles import Role
from core.pii.validators import id_number_check_char
from core.regions.models import Region

PASSWORD = "Tk7#mQ2!vR9@pL4z"
_serial = itertools.count(1)


@dataclass
class World:
    city: Region
    district: Region
    street: Region
    community_a: Region
    grid_a1: Region
    community_b: Region
    grid_b1: Region

    def grid_of(self, community: Region) -> Region:
        return self.grid_a1 if community == self.community_a else self.grid_b1


def build_world() -> World:
    city = Region.objects.create(name="芜湖市", level=Region.Level.CITY, code="340200")
    district = Region.objects.create(name="镜湖区", level=Region.Level.DISTRICT, parent=city, code="340202")
    street = Region.objects.create(name="滨江街道", level=Region.Level.STREET, parent=district)
    community_a = Region.objects.create(name="甲社区", level=Region.Level.COMMUNITY, parent=street)
    community_b = Region.objects.create(name="乙社区", level=Region.Level.COMMUNITY, parent=street)
    grid_a1 = Region.objects.create(name="甲1网格", level=Region.Level.GRID, parent=community_a)
    grid_b1 = Region.objects.create(name="乙1网格", level=Region.Level.GRID, parent=community_b)
    for region in (city, district, street, community_a, community_b, grid_a1, grid_b1):
        region.refresh_from_db()
    return World(city, district, street, community_a, grid_a1, community_b, grid_b1)


def id_number(area: str = "340202", birth: str = "19800101") -> str:
    serial = next(_serial)
    first17 = f"{area}{birth}{serial % 1000:03d}"
    return first17 + id_number_check_char(first17)


def mobile() -> str:
    return f"139{next(_serial):08d}"


def make_user(
    *, region: Region | None = None, username: str | None = None, password: str = PASSWORD, **fields
) -> User:
    fields.setdefault("is_staff", True)
    user = User(username=username or f"user{next(_serial)}", region=region, **fields)
    user.set_password(password)
    user.save()
    return user


def make_staff(role: str, region: Region, *, is_lead: bool = False, **fields) -> User:
    user = make_user(region=region, **fields)
    RoleAssignment.objects.create(user=user, role=role, region=region, is_lead=is_lead)
    return user


def make_resident_record(
    region: Region, *, number: str | None = None, phone: str | None = None, name: str = "张三"
):
    from core.registry.identity import identity_columns, name_pinyin, phone_columns
    from core.registry.models import Resident

    initials, full = name_pinyin(name)
    return Resident.objects.create(
        name=name,
        name_initials=initials,
        name_pinyin=full,
        region=region,
        region_path=region.path,
        **identity_columns("id_card", number or id_number()),
        **phone_columns(mobile=phone if phone is not None else mobile()),
    )


def make_resident_user(region: Region, **fields) -> User:
    """An account bound to a resident record in `region` (a grid), holding the resident role."""
    from core.accounts.models import ResidentBinding

    record = make_resident_record(region)
    user = make_user(region=region, is_staff=False, **fields)
    ResidentBinding.objects.create(user=user, resident=record)
    RoleAssignment.objects.create(user=user, role=Role.RESIDENT, region=region)
    user.resident_record = record
    return user

"""Test data for the register: a small region tree, staff with roles, and residents made by the
services (so that test data obeys the same rules as real data)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import factory
from django.utils import timezone

from core.accounts.models import RoleAssignment, User
from core.pii.validators import id_number_check_char
from core.regions.models import Region
from core.registry import services
from core.registry.tags import years_before

_serial = itertools.count(1)

ADMIN_RESIDENTS = "/admin/registry/resident/"
# A resident's change form posts the management forms of its read-only inlines too.
INLINE_MANAGEMENT = {
    f"{prefix}-{key}": "0"
    for prefix in ("tags", "contacts", "tenancies")
    for key in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def id_number(birth: date = date(1990, 1, 1), *, female: bool = False, area: str = "340202") -> str:
    """A valid 18-character ID number (check digit right), different on every call."""
    sequence = next(_serial) % 500
    third = sequence * 2 % 10 + (0 if female else 1)  # odd for men, even for women
    first17 = f"{area}{birth:%Y%m%d}{sequence // 5 % 100:02d}{third % 10}"
    if (int(first17[-1]) % 2 == 1) == female:
        first17 = first17[:-1] + str((int(first17[-1]) + 1) % 10)
    return first17 + id_number_check_char(first17)


def born(years_ago: int, *, days: int = 10) -> date:
    """A birth date a few days more than `years_ago` years before today: that age today."""
    return years_before(timezone.localdate(), years_ago) - timedelta(days=days)


def field_messages(error, field: str) -> list[str]:
    """The messages of one field of a raised ValidationError (pytest.raises' excinfo)."""
    return [str(m) for m in error.value.message_dict[field]]


_mobiles = itertools.count(13800000001)


def mobile() -> str:
    return str(next(_mobiles))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    level = Region.Level.CITY
    name = factory.Sequence(lambda n: f"区域{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True


def grant(user: User, role: str, region: Region, *, is_lead: bool = False) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, region=region, is_lead=is_lead)


def staff(role: str, region: Region, *, is_lead: bool = False, **fields) -> User:
    user = UserFactory(**fields)
    grant(user, role, region, is_lead=is_lead)
    return user


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


def region_tree() -> Tree:
    """芜湖市 → 镜湖区 → 滨江街道 → 社区甲 (第1、第2网格), 社区乙 (第1网格)."""
    city = RegionFactory(name="芜湖市", level=Region.Level.CITY, code="340200")
    district = RegionFactory(name="镜湖区", level=Region.Level.DISTRICT, parent=city, code="340202")
    street = RegionFactory(name="滨江街道", level=Region.Level.STREET, parent=district)
    community_a = RegionFactory(name="甲社区", level=Region.Level.COMMUNITY, parent=street)
    community_b = RegionFactory(name="乙社区", level=Region.Level.COMMUNITY, parent=street)
    grid_a1 = RegionFactory(name="第1网格", level=Region.Level.GRID, parent=community_a)
    grid_a2 = RegionFactory(name="第2网格", level=Region.Level.GRID, parent=community_a)
    grid_b1 = RegionFactory(name="第1网格", level=Region.Level.GRID, parent=community_b)
    return Tree(city, district, street, community_a, community_b, grid_a1, grid_a2, grid_b1)


def house(grid: Region, address: str | None = None, *, actor=None, **data):
    return services.house_create(
        actor=actor, region=grid, address=address or f"{grid.name}{next(_serial)}号", **data
    )


def resident(*, grid: Region | None = None, actor=None, **data):
    """A resident registered through resident_create; a fresh valid ID number unless given."""
    data.setdefault("name", "张三")
    if "document_number" not in data and data.get("document_type", "id_card") == "id_card":
        data["document_number"] = id_number(data.pop("birth", date(1990, 1, 1)))
    else:
        data.pop("birth", None)
    if grid is not None and "house" not in data and "household" not in data:
        data["region"] = grid
    return services.resident_create(actor=actor, data=data)

"""Test data for the register: houses and residents made by the services (so that test data obeys
the same rules as real data). The region tree and the people come from tests/world.py."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from core.regions.models import Region
from core.registry import services
from core.registry.tags import years_before
from tests.world import id_number

_serial = itertools.count(1)

ADMIN_RESIDENTS = "/admin/registry/resident/"
# A resident's change form posts the management forms of its read-only inlines too.
INLINE_MANAGEMENT = {
    f"{prefix}-{key}": "0"
    for prefix in ("tags", "contacts", "tenancies")
    for key in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def born(years_ago: int, *, days: int = 10) -> date:
    """A birth date a few days more than `years_ago` years before today: that age today."""
    return years_before(timezone.localdate(), years_ago) - timedelta(days=days)


def field_messages(error, field: str) -> list[str]:
    """The messages of one field of a raised ValidationError (pytest.raises' excinfo)."""
    return [str(m) for m in error.value.message_dict[field]]


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

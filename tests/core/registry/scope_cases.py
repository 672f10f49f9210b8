"""Scope-matrix cases for the register's and the region tree's routes.

tests/scope_matrix/cases.py finds this file (like every tests/**/scope_cases.py) so that every
route of /api/v1/registry/ and /api/v1/regions/ is checked role by role like the rest of the API.
"""

from __future__ import annotations

import itertools

from django.utils import timezone

from core.regions.models import Region
from core.registry import services
from tests.scope_matrix.cases import Case, register
from tests.world import World, id_number, make_user, mobile

_serial = itertools.count(1)


def _n() -> int:
    return next(_serial)


def _resident(world: World, community, **data):
    data.setdefault("name", "张三")
    data.setdefault("document_number", id_number())
    if "house" not in data and "household" not in data:
        data["region"] = world.grid_of(community).pk
    return services.resident_create(actor=None, data=data)


def _house(world: World, community):
    return services.house_create(actor=None, region=world.grid_of(community), address=f"测试路{_n()}号")


def _household_with_member(world: World, community):
    household = services.household_create(actor=None, region=world.grid_of(community))
    _resident(world, community, household=household.pk, relation="self")
    household.refresh_from_db()
    return household


def _own_resident(obj, resident) -> bool:
    return resident is not None and (
        obj.pk == resident.pk or (obj.household_id is not None and obj.household_id == resident.household_id)
    )


def _own_household(obj, resident) -> bool:
    return resident is not None and resident.household_id == obj.pk


def _community_level(world: World, community):
    return community


def _own_contact_or_tenancy(obj, resident) -> bool:
    return _own_resident(obj.resident, resident)


register(
    "place-name",
    case=Case(
        make=lambda world, community: services.place_name_create(
            actor=None, region=community, kind="road", name=f"路{_n()}"
        ),
        payload=lambda world, community: {"region": community.pk, "kind": "road", "name": f"路{_n()}"},
        update_payload=lambda world, community, obj: {"status": "nonstandard"},
        placed_at=_community_level,
    ),
)


def _proposed_place_name(world: World, community):
    """A place name waiting for a second person's approval (proposed by the system, so any
    holder of the approving permission may decide)."""
    n = _n()
    return services.place_name_create(
        actor=None,
        region=community,
        kind="road",
        name=f"待批路{n}",
        status="standard",
        standard_name=f"标准路{n}",
    )


register("place-name-approve", case=Case(make=_proposed_place_name, placed_at=_community_level))
register(
    "place-name-reject",
    case=Case(
        make=_proposed_place_name,
        update_payload=lambda world, community, obj: {"reason": "名称不符合命名规则"},
        placed_at=_community_level,
    ),
)
register(
    "place-name-aliases",
    case=Case(
        make=lambda world, community: services.place_name_create(
            actor=None, region=community, kind="road", name=f"路{_n()}"
        ),
        update_payload=lambda world, community, obj: {"name": f"旧路{_n()}", "kind": "former"},
        success={"aliases": 201},
        placed_at=_community_level,
    ),
)

register(
    "compound",
    case=Case(
        make=lambda world, community: services.compound_create(
            actor=None, region=community, name=f"小区{_n()}"
        ),
        payload=lambda world, community: {"region": community.pk, "name": f"小区{_n()}"},
        update_payload=lambda world, community, obj: {"address": "幸福路1号"},
        placed_at=_community_level,
    ),
)
register(
    "building",
    case=Case(
        make=lambda world, community: services.building_create(
            actor=None, region=world.grid_of(community), name=f"{_n()}栋"
        ),
        payload=lambda world, community: {"region": world.grid_of(community).pk, "name": f"{_n()}栋"},
        update_payload=lambda world, community, obj: {"floors": 6},
    ),
)
register(
    "house",
    case=Case(
        make=_house,
        payload=lambda world, community: {
            "region": world.grid_of(community).pk,
            "address": f"测试路{_n()}号",
        },
        update_payload=lambda world, community, obj: {"occupancy": "rented"},
    ),
)
register(
    "household",
    case=Case(
        make=_household_with_member,
        payload=lambda world, community: {"region": world.grid_of(community).pk},
        update_payload=lambda world, community, obj: {"registered_address": "芜湖市镜湖区"},
        is_own=_own_household,
    ),
)
register(
    "household-add-member",
    case=Case(
        make=_household_with_member,
        update_payload=lambda world, community, obj: {
            "resident": _resident(world, community).pk,
            "relation": "child",
        },
        is_own=_own_household,
    ),
)
register(
    "household-remove-member",
    case=Case(
        make=_household_with_member,
        update_payload=lambda world, community, obj: {"resident": obj.householder_id},
        is_own=_own_household,
    ),
)
register(
    "household-householder",
    case=Case(
        make=_household_with_member,
        update_payload=lambda world, community, obj: {
            "resident": services.household_add_member(
                actor=None, household=obj, resident=_resident(world, community), relation="spouse"
            ).pk
        },
        is_own=_own_household,
    ),
)
register(
    "resident",
    case=Case(
        make=lambda world, community: _resident(world, community),
        payload=lambda world, community: {
            "name": "李四",
            "document_number": id_number(),
            "region": world.grid_of(community).pk,
        },
        update_payload=lambda world, community, obj: {"note": "已核实"},
        is_own=_own_resident,
    ),
)
register(
    "resident-search",
    case=Case(
        make=lambda world, community: _resident(world, community),
        update_payload=lambda world, community, obj: {"id_number": obj.document_number_encrypted},
        unaudited={"search": "a read: the list's filters in a POST body, nothing is written"},
    ),
)
register(
    "resident-move-in",
    case=Case(
        make=lambda world, community: _resident(world, community),
        update_payload=lambda world, community, obj: {
            "house": _house(world, community).pk,
            "moved_in_on": str(timezone.localdate()),
        },
        is_own=_own_resident,
    ),
)
register(
    "resident-move-out",
    case=Case(
        make=lambda world, community: _resident(world, community),
        update_payload=lambda world, community, obj: {"moved_out_on": str(timezone.localdate())},
        is_own=_own_resident,
    ),
)
register(
    "resident-death",
    case=Case(
        make=lambda world, community: _resident(world, community),
        update_payload=lambda world, community, obj: {"died_on": str(timezone.localdate())},
        is_own=_own_resident,
    ),
)
register(
    "resident-reveal",
    case=Case(
        make=lambda world, community: _resident(world, community),
        update_payload=lambda world, community, obj: {"purpose": "核查低保"},
        is_own=_own_resident,
    ),
)
register(
    "resident-transfer",
    case=Case(
        make=lambda world, community: _resident(world, community),
        update_payload=lambda world, community, obj: {"to_region": _extra_grid(community).pk},
        is_own=_own_resident,
        success={"transfer": 201},
    ),
)


def _contact_payload(world: World, community, obj=None) -> dict:
    return {"kind": "emergency", "name": "邻居王", "phone": mobile()}


def _contact(world: World, community):
    return services.contact_add(
        actor=None, resident=_resident(world, community), data=_contact_payload(world, community)
    )


register(
    "resident-contacts",
    case=Case(
        make=lambda world, community: _resident(world, community),
        update_payload=_contact_payload,
        is_own=_own_resident,
        success={"add_contact": 201},
    ),
)
register(
    "contact",
    case=Case(
        make=_contact,
        update_payload=lambda world, community, obj: {"relation": "邻居"},
        is_own=_own_contact_or_tenancy,
    ),
)
register(
    "contact-reveal",
    case=Case(
        make=_contact,
        update_payload=lambda world, community, obj: {"purpose": "联系家属"},
        is_own=_own_contact_or_tenancy,
    ),
)


def _tenancy_payload(world: World, community) -> dict:
    return {
        "resident": _resident(world, community).pk,
        "house": _house(world, community).pk,
        "starts_on": str(timezone.localdate()),
    }


def _tenancy(world: World, community):
    payload = {**_tenancy_payload(world, community), "starts_on": timezone.localdate()}
    return services.tenancy_start(actor=None, **payload)


register(
    "tenancy",
    case=Case(
        make=_tenancy,
        payload=_tenancy_payload,
        update_payload=lambda world, community, obj: {},
        is_own=_own_contact_or_tenancy,
    ),
)


def _tag(world: World, community):
    return services.tag_assign(actor=None, resident=_resident(world, community), tag="registry.dibao")


register(
    "resident-tag",
    case=Case(
        make=_tag,
        payload=lambda world, community: {
            "resident": _resident(world, community).pk,
            "tag": "registry.dibao",
        },
        update_payload=lambda world, community, obj: {},
    ),
)


def _extra_grid(community) -> Region:
    """A second grid in the same community, so that a transfer stays inside one subtree."""
    return Region.objects.create(name=f"调入网格{_n()}", level=Region.Level.GRID, parent=community)


def _transfer(world: World, community):
    return services.transfer_request(
        actor=make_user(is_superuser=True),
        resident=_resident(world, community),
        to_region=_extra_grid(community),
    )


register(
    "transfer",
    case=Case(make=_transfer, update_payload=lambda world, community, obj: {}, path_attribute="from_path"),
)
register(
    "region",
    case=Case(
        make=lambda world, community: _extra_grid(community),
        path_attribute="path",
    ),
)

"""Writes to places and housing: place names, compounds, buildings, units, houses.

Every house lies in exactly one grid; compounds and place names belong to a community (or a
node below it). Each write copies the node's path and is audited with the fields it changed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.api.errors import NOT_FOUND_IN_PAYLOAD, field_error
from core.audit.services import audit_record
from core.regions.models import Region
from core.regions.paths import community_id
from core.registry.audit_changes import audit_write, diff, snapshot
from core.registry.errors import RegistryError
from core.registry.in_scope import get_in_scope, scoped
from core.registry.inputs import reject_unknown
from core.registry.models import Building, Compound, House, Household, PlaceName, Resident, Unit

CHANGE = "registry.change"
GRID_ONLY = (Region.Level.GRID,)
COMMUNITY_OR_BELOW = (Region.Level.COMMUNITY, Region.Level.GRID)
STREET_OR_BELOW = (Region.Level.STREET, Region.Level.COMMUNITY, Region.Level.GRID)

LEVEL_MESSAGES = {
    GRID_ONLY: _("Choose a grid."),
    COMMUNITY_OR_BELOW: _("Choose a community or one of its grids."),
    STREET_OR_BELOW: _("Choose a street, a community or a grid."),
}


def region_in_scope(region: Any, *, actor, levels: tuple[int, ...], field: str = "region") -> Region:
    node = get_in_scope(Region.objects.all(), region, actor=actor, permission=CHANGE, field=field)
    if node.level not in levels or node.merged_into_id:
        raise field_error(field, LEVEL_MESSAGES[levels])
    return node


def place(obj, region: Region) -> None:
    obj.region = region
    obj.region_path = region.path


def _save_audited(*, actor, obj, before: dict, action: str, request=None):
    obj.full_clean(exclude=["region", "region_path"])
    obj.save()
    audit_write(actor=actor, action=action, target=obj, changes=diff(before, snapshot(obj)), request=request)
    return obj


# --- compounds (place names: services_place_names.py) -----------------------------------

COMPOUND_FIELDS = ("name", "address", "place_name")


def _place_name_ref(value, *, actor, field="place_name"):
    if value in (None, ""):
        return None
    return get_in_scope(PlaceName.objects.all(), value, actor=actor, permission=CHANGE, field=field)


@transaction.atomic
def compound_create(
    *, actor, region, name: str, address: str = "", place_name=None, request=None
) -> Compound:
    node = region_in_scope(region, actor=actor, levels=COMMUNITY_OR_BELOW)
    obj = Compound(name=name, address=address, place_name=_place_name_ref(place_name, actor=actor))
    place(obj, node)
    return _save_audited(actor=actor, obj=obj, before={}, action="registry.compound.create", request=request)


@transaction.atomic
def compound_update(*, actor, compound: Compound, data: dict, request=None) -> Compound:
    reject_unknown(data, (*COMPOUND_FIELDS, "region"))
    before = snapshot(compound)
    if "region" in data:
        place(compound, region_in_scope(data.pop("region"), actor=actor, levels=COMMUNITY_OR_BELOW))
    if "place_name" in data:
        compound.place_name = _place_name_ref(data.pop("place_name"), actor=actor)
    for name, value in data.items():
        setattr(compound, name, value)
    return _save_audited(
        actor=actor, obj=compound, before=before, action="registry.compound.update", request=request
    )


# --- buildings and units ---------------------------------------------------------------------

BUILDING_FIELDS = ("name", "address", "floors", "compound", "place_name")


def _compound_ref(value, *, actor, region: Region):
    if value in (None, ""):
        return None
    compound = get_in_scope(Compound.objects.all(), value, actor=actor, permission=CHANGE, field="compound")
    if community_id(region.path) != community_id(compound.region_path):
        raise field_error("compound", _("The compound is in another community."))
    return compound


@transaction.atomic
def building_create(
    *,
    actor,
    region,
    name: str,
    address: str = "",
    floors: int | None = None,
    compound=None,
    place_name=None,
    request=None,
) -> Building:
    node = region_in_scope(region, actor=actor, levels=GRID_ONLY)
    obj = Building(
        name=name,
        address=address,
        floors=floors,
        compound=_compound_ref(compound, actor=actor, region=node),
        place_name=_place_name_ref(place_name, actor=actor),
    )
    place(obj, node)
    return _save_audited(actor=actor, obj=obj, before={}, action="registry.building.create", request=request)


@transaction.atomic
def building_update(*, actor, building: Building, data: dict, request=None) -> Building:
    reject_unknown(data, (*BUILDING_FIELDS, "region"))
    before = snapshot(building)
    if "region" in data:
        place(building, region_in_scope(data.pop("region"), actor=actor, levels=GRID_ONLY))
    if "compound" in data:
        building.compound = _compound_ref(data.pop("compound"), actor=actor, region=building.region)
    if "place_name" in data:
        building.place_name = _place_name_ref(data.pop("place_name"), actor=actor)
    for name, value in data.items():
        setattr(building, name, value)
    return _save_audited(
        actor=actor, obj=building, before=before, action="registry.building.update", request=request
    )


@transaction.atomic
def unit_create(*, actor, building, name: str, request=None) -> Unit:
    building = get_in_scope(
        Building.objects.all(), building, actor=actor, permission=CHANGE, field="building"
    )
    if Unit.objects.filter(building=building, name=name).exists():
        raise field_error(
            "name", _("This building already has a unit with this name."), code=RegistryError.UNIT_NAME_TAKEN
        )
    unit = Unit.objects.create(building=building, name=name)
    audit_record(
        actor=actor,
        action="registry.unit.create",
        target=unit,
        region_path=unit.building.region_path,
        changes={
            "building_id": {"old": None, "new": unit.building_id},
            "name": {"old": None, "new": unit.name},
        },
        request=request,
    )
    return unit


# --- houses ----------------------------------------------------------------------------------

HOUSE_FIELDS = (
    "building",
    "unit",
    "number",
    "address",
    "use",
    "occupancy",
    "owner",
    "longitude",
    "latitude",
)


def _house_refs(house: House, data: dict, *, actor) -> None:
    """Resolve building, unit and owner ids in `data` (in scope) onto the house."""
    if "building" in data:
        value = data.pop("building")
        house.building = (
            None
            if value in (None, "")
            else get_in_scope(Building.objects.all(), value, actor=actor, permission=CHANGE, field="building")
        )
    if "unit" in data:
        value = data.pop("unit")
        house.unit = (
            None
            if value in (None, "")
            else get_in_scope(
                Unit.objects.filter(building__in=scoped(Building.objects.all(), actor, CHANGE)),
                value,
                actor=None,
                permission=CHANGE,
                field="unit",
            )
        )
    if "owner" in data:
        value = data.pop("owner")
        house.owner = (
            None
            if value in (None, "")
            else get_in_scope(Resident.objects.all(), value, actor=actor, permission=CHANGE, field="owner")
        )
    if house.unit_id and house.unit.building_id != house.building_id:
        # A unit of another building (or one outside scope) reads as not found.
        raise field_error("unit", NOT_FOUND_IN_PAYLOAD)


def _check_house_region(house: House) -> None:
    if house.building_id and house.building.region_id != house.region_id:
        raise field_error("region", _("The house must lie in the grid of its building."))


@transaction.atomic
def house_create(*, actor, address: str, region=None, request=None, **data) -> House:
    reject_unknown(data, HOUSE_FIELDS)
    house = House(address=address)
    _house_refs(house, data, actor=actor)
    for name, value in data.items():
        setattr(house, name, value)
    if region in (None, "") and house.building_id:
        region = house.building.region_id
    if region in (None, ""):
        raise field_error("region", _("Choose the grid of the house, or its building."))
    place(house, region_in_scope(region, actor=actor, levels=GRID_ONLY))
    _check_house_region(house)
    return _save_audited(actor=actor, obj=house, before={}, action="registry.house.create", request=request)


@transaction.atomic
def house_update(*, actor, house: House, data: dict, request=None) -> House:
    reject_unknown(data, (*HOUSE_FIELDS, "region"))
    if (
        data.get("occupancy", House.Occupancy.RENTED) != House.Occupancy.RENTED
        and house.tenancies.filter(ends_on__isnull=True).exists()
    ):
        raise field_error("occupancy", _("The house has a current tenancy: end it to change the occupancy."))
    before = snapshot(house)
    old_path = house.region_path
    _house_refs(house, data, actor=actor)
    if "region" in data:
        place(house, region_in_scope(data.pop("region"), actor=actor, levels=GRID_ONLY))
    for name, value in data.items():
        setattr(house, name, value)
    _check_house_region(house)
    saved = _save_audited(
        actor=actor, obj=house, before=before, action="registry.house.update", request=request
    )
    if house.region_path != old_path:
        # Who lives here now follows the house into its new grid; people who left keep theirs.
        Household.objects.filter(house=house, region_path=old_path).update(
            region=house.region, region_path=house.region_path
        )
        Resident.objects.active().filter(house=house, region_path=old_path).update(
            region=house.region, region_path=house.region_path
        )
    return saved

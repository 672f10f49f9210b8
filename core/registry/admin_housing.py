"""The register's admin for housing: houses (with their tenancies), buildings, compounds and
place names, each written through its service."""

from __future__ import annotations

from django.contrib import admin

from core.registry import services
from core.registry.admin_people import TenancyInline
from core.registry.admin_writes import ServiceAdmin
from core.registry.models import Building, Compound, House, PlaceName
from core.registry.services_housing import COMMUNITY_OR_BELOW, HOUSE_FIELDS, STREET_OR_BELOW
from core.scoped_admin import RegionLevelFilter, RegionListFilter


class HouseTenancyInline(TenancyInline):
    fk_name = "house"
    fields = ("resident", "owner", "starts_on", "ends_on")
    readonly_fields = fields


@admin.register(House)
class HouseAdmin(ServiceAdmin):
    list_display = ("address", "use", "occupancy", "region")
    list_filter = (RegionListFilter, "occupancy", "use")
    search_fields = ("address", "number")
    raw_id_fields = ("region", "building", "unit", "owner")
    fields = ("region", *HOUSE_FIELDS)
    inlines = [HouseTenancyInline]
    create_service = staticmethod(services.house_create)
    update_service = staticmethod(services.house_update)
    instance_kwarg = "house"


@admin.register(Building)
class BuildingAdmin(ServiceAdmin):
    list_display = ("__str__", "compound", "floors", "region")
    list_filter = (RegionListFilter,)
    search_fields = ("name", "address", "compound__name")
    raw_id_fields = ("region", "compound", "place_name")
    fields = ("region", "compound", "name", "address", "floors", "place_name")
    create_service = staticmethod(services.building_create)
    update_service = staticmethod(services.building_update)
    instance_kwarg = "building"


@admin.register(Compound)
class CompoundAdmin(ServiceAdmin):
    list_display = ("name", "address", "region")
    list_filter = (RegionListFilter, RegionLevelFilter)
    search_fields = ("name", "address")
    raw_id_fields = ("region", "place_name")
    fields = ("region", "name", "address", "place_name")
    region_levels = COMMUNITY_OR_BELOW
    create_service = staticmethod(services.compound_create)
    update_service = staticmethod(services.compound_update)
    instance_kwarg = "compound"


@admin.register(PlaceName)
class PlaceNameAdmin(ServiceAdmin):
    list_display = ("name", "standard_name", "kind", "status", "region")
    list_filter = ("status", "kind", RegionListFilter, RegionLevelFilter)
    search_fields = ("name", "standard_name")
    raw_id_fields = ("region",)
    fields = ("region", "kind", "name", "standard_name", "status", "note")
    region_levels = STREET_OR_BELOW
    create_service = staticmethod(services.place_name_create)
    update_service = staticmethod(services.place_name_update)
    instance_kwarg = "place_name"

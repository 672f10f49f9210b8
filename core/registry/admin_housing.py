"""The register's admin for housing: houses (with their tenancies), buildings, compounds and
place names, each written through its service."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.api.errors import ApplicationError
from core.registry import services
from core.registry.admin_people import TenancyInline
from core.registry.admin_writes import RegisterInline, ServiceAdmin, ServiceForm, add_errors
from core.registry.models import Building, Compound, House, PlaceName, PlaceNameAlias
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


class PlaceNameAdminForm(ServiceForm):
    """Shows the place-name services' refusals next to the fields instead of failing the save."""

    region_levels = STREET_OR_BELOW

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("region") is None:
            return cleaned
        candidate = PlaceName(
            pk=self.instance.pk,
            region=cleaned["region"],
            name=cleaned.get("name", ""),
            national_code=cleaned.get("national_code", ""),
        )
        try:
            services.place_name_check(
                place_name=candidate,
                status=cleaned.get("status", ""),
                standard_name=cleaned.get("standard_name", ""),
            )
        except ApplicationError as error:
            add_errors(self, error)
        return cleaned


class PlaceNameAliasInline(RegisterInline):
    model = PlaceNameAlias
    fields = ("name", "kind", "used_from", "used_to", "note", "recorded_at")
    readonly_fields = fields


@admin.register(PlaceName)
class PlaceNameAdmin(ServiceAdmin):
    """Written through the place-name services: making a name standard (or changing its standard
    name) here is a proposal too, approved or rejected by another person (the actions below)."""

    list_display = ("name", "standard_name", "pinyin", "kind", "status", "proposed_standard_name", "region")
    list_filter = ("status", "kind", RegionListFilter, RegionLevelFilter)
    search_fields = ("name", "standard_name", "pinyin", "national_code", "aliases__name")
    raw_id_fields = ("region",)
    fields = (
        "region",
        "kind",
        "name",
        "standard_name",
        "status",
        "national_code",
        "note",
        "pinyin",
        "standard_since",
        "proposed_status",
        "proposed_standard_name",
        "proposed_by",
        "proposed_at",
    )
    readonly_fields = (
        "pinyin",
        "standard_since",
        "proposed_status",
        "proposed_standard_name",
        "proposed_by",
        "proposed_at",
    )
    inlines = [PlaceNameAliasInline]
    region_levels = STREET_OR_BELOW
    create_service = staticmethod(services.place_name_create)
    update_service = staticmethod(services.place_name_update)
    instance_kwarg = "place_name"
    actions = ["approve_proposals"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = PlaceNameAdminForm
        return super().get_form(request, obj, change=change, **kwargs)

    @admin.action(description=_("Approve the selected proposals"))
    def approve_proposals(self, request, queryset):
        for place_name in queryset:
            try:
                services.place_name_approve(actor=request.user, place_name=place_name, request=request)
            except ApplicationError as error:
                self.message_user(request, f"{place_name}: {error.message}", level=messages.ERROR)

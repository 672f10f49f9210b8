"""The register's admin (zh-hans), for community workers: scoped, searchable, PII masked.

Writes go through the services (validation, paths, audit). Personal numbers show masked; a worker
corrects one by typing the new value in full into its empty "new …" field.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pii.validators import validate_id_number, validate_mobile
from core.regions.models import Region
from core.registry import services
from core.registry.admin_base import ScopedAdmin, add_errors
from core.registry.identity import document_index, mobile_index
from core.registry.models import (
    Building,
    Compound,
    House,
    Household,
    MembershipChange,
    PlaceName,
    Resident,
    ResidentTag,
    Transfer,
)
from core.registry.services_housing import (
    COMMUNITY_OR_BELOW,
    GRID_ONLY,
    STREET_OR_BELOW,
    region_in_scope,
)
from core.registry.tags import derived_tag_q, tag_kinds


class RegionListFilter(admin.SimpleListFilter):
    """Filter by any node the worker can see (street, community or grid): its whole subtree."""

    title = _("region")
    parameter_name = "region"
    path_field = "region_path"

    def lookups(self, request, model_admin):
        nodes = Region.objects.filter(level__gte=Region.Level.STREET, merged_into__isnull=True)
        if not request.user.is_superuser:
            nodes = nodes.visible_to(request.user)
        return [
            (n.pk, f"{'　' * (n.level - Region.Level.STREET)}{n.name}") for n in nodes.order_by("path")[:300]
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        path = Region.objects.filter(pk=self.value()).values_list("path", flat=True).first()
        return queryset.filter(**{f"{self.path_field}__startswith": path}) if path else queryset.none()


class RegionLevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Region.Level.choices

    def queryset(self, request, queryset):
        return queryset.filter(region__level=self.value()) if self.value() else queryset


class TagListFilter(admin.SimpleListFilter):
    title = _("tag")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return [(key, kind.name) for key, kind in sorted(tag_kinds().items())]

    def queryset(self, request, queryset):
        kind = tag_kinds().get(self.value() or "")
        if kind is None:
            return queryset
        today = timezone.localdate()
        if kind.derived:
            return queryset.filter(derived_tag_q(kind, today))
        return queryset.filter(
            pk__in=ResidentTag.objects.current(today).filter(tag=kind.key).values("resident_id")
        )


# --- residents -------------------------------------------------------------------------------

RESIDENT_FORM_FIELDS = (
    "name",
    "document_type",
    "birth_date",
    "sex",
    "ethnicity",
    "residence_type",
    "household",
    "relation",
    "registered_address",
    "house",
    "region",
    "moved_in_on",
    "note",
)
NEW_VALUE_FIELDS = {
    "new_document_number": "document_number",
    "new_mobile": "mobile",
    "new_landline": "landline",
}


class ResidentAdminForm(forms.ModelForm):
    new_document_number = forms.CharField(
        label=_("new document number"),
        required=False,
        help_text=_("Leave empty to keep the number. To correct it, type the new number in full."),
    )
    new_mobile = forms.CharField(
        label=_("new mobile"),
        required=False,
        help_text=_("Leave empty to keep the number. To correct it, type the new number in full."),
    )
    new_landline = forms.CharField(label=_("new landline"), required=False)

    class Meta:
        model = Resident
        fields = RESIDENT_FORM_FIELDS

    actor = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].required = False

    def clean(self):
        cleaned = super().clean()
        data = {}
        names = RESIDENT_FORM_FIELDS if self.instance.pk is None else self.changed_data
        for name in names:
            if name in RESIDENT_FORM_FIELDS and name in cleaned:
                value = cleaned[name]
                data[name] = value.pk if hasattr(value, "pk") else value
        for form_name, field in NEW_VALUE_FIELDS.items():
            if cleaned.get(form_name):
                data[field] = cleaned[form_name]
        if self.instance.pk is None and "document_number" not in data:
            data["document_number"] = ""
        if self.instance.pk is None and data.get("region") is None:
            data.pop("region", None)
        try:
            services.resident_check(actor=self.actor, data=data, instance=self.instance.pk and self.instance)
        except ValidationError as error:
            add_errors(self, error, {v: k for k, v in NEW_VALUE_FIELDS.items()})
        self.service_data = data
        return cleaned


class TagInline(admin.TabularInline):
    model = ResidentTag
    fk_name = "resident"
    fields = ("tag", "attributes", "source", "started_on", "ended_on", "assigned_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Resident)
class ResidentAdmin(ScopedAdmin):
    form = ResidentAdminForm
    list_display = (
        "name",
        "sex",
        "document_number_masked",
        "mobile_masked",
        "residence_type",
        "status",
        "region",
    )
    list_filter = (RegionListFilter, TagListFilter, "status", "residence_type", "sex")
    search_fields = ("name", "name_initials", "name_pinyin")
    list_select_related = ("region",)
    raw_id_fields = ("household", "house", "region")
    readonly_fields = (
        "document_number_masked",
        "mobile_masked",
        "landline_masked",
        "status",
        "moved_out_on",
        "deceased_on",
        "region_path",
    )
    fieldsets = (
        (None, {"fields": ("name", "document_type", "document_number_masked", "new_document_number")}),
        (_("Personal details"), {"fields": ("birth_date", "sex", "ethnicity")}),
        (_("Phones"), {"fields": ("mobile_masked", "new_mobile", "landline_masked", "new_landline")}),
        (
            _("Residence"),
            {
                "fields": (
                    "residence_type",
                    "household",
                    "relation",
                    "registered_address",
                    "house",
                    "region",
                    "moved_in_on",
                )
            },
        ),
        (_("Status"), {"fields": ("status", "moved_out_on", "deceased_on", "region_path", "note")}),
    )
    inlines = [TagInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def get_search_results(self, request, queryset, search_term):
        """An exact ID number or mobile is found through its blind index; otherwise name/pinyin."""
        term = search_term.strip()
        for validate, index in (
            (validate_id_number, lambda v: {"document_number_index": document_index("id_card", v)}),
            (validate_mobile, lambda v: {"mobile_index": mobile_index(v)}),
        ):
            try:
                return queryset.filter(**index(validate(term))), False
            except ValidationError:
                continue
        return super().get_search_results(request, queryset, term.lower() if term.isascii() else term)

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.resident_update(
                actor=request.user, resident=obj, data=form.service_data, request=request
            )
        else:
            saved = services.resident_create(actor=request.user, data=form.service_data, request=request)
        form.instance = saved
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # Tags are read-only here and membership changes go through the services.
        pass


# --- households ------------------------------------------------------------------------------


class MemberInline(admin.TabularInline):
    model = Resident
    fk_name = "household"
    fields = ("name", "relation", "document_number_masked", "mobile_masked", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MembershipChangeInline(admin.TabularInline):
    model = MembershipChange
    fields = ("happened_on", "kind", "resident", "note", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-happened_on", "-id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ServiceForm(forms.ModelForm):
    """A ModelForm whose region is checked like the service checks it (level and scope)."""

    actor = None
    region_levels = GRID_ONLY

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        if region is not None:
            try:
                region_in_scope(region.pk, actor=self.actor, levels=self.region_levels)
            except ValidationError as error:
                add_errors(self, error)
        return cleaned


class ServiceAdmin(ScopedAdmin):
    """Create and change through `create_service` / `update_service`."""

    create_service = None
    update_service = None
    instance_kwarg = ""
    region_levels = GRID_ONLY

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", type("Form", (ServiceForm,), {"region_levels": self.region_levels}))
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        names = form.changed_data if change else [f for f in form.fields if f in form.cleaned_data]
        data = {n: form.cleaned_data[n] for n in names if n in form.cleaned_data}
        data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
        if change:
            saved = self.update_service(
                actor=request.user, data=data, request=request, **{self.instance_kwarg: obj}
            )
        else:
            saved = self.create_service(actor=request.user, request=request, **data)
        obj.pk = saved.pk
        form.instance = saved


@admin.register(Household)
class HouseholdAdmin(ServiceAdmin):
    list_display = ("__str__", "householder", "house", "region")
    list_filter = (RegionListFilter,)
    search_fields = ("number", "registered_address", "householder__name")
    raw_id_fields = ("house",)
    fields = ("number", "house", "registered_address", "householder", "region_path")
    readonly_fields = ("householder", "region_path")
    inlines = [MemberInline, MembershipChangeInline]
    create_service = staticmethod(services.household_create)
    update_service = staticmethod(services.household_update)
    instance_kwarg = "household"


@admin.register(House)
class HouseAdmin(ServiceAdmin):
    list_display = ("address", "use", "occupancy", "region")
    list_filter = (RegionListFilter, "occupancy", "use")
    search_fields = ("address", "number")
    raw_id_fields = ("region", "building", "unit", "owner")
    fields = (
        "region",
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


@admin.register(ResidentTag)
class ResidentTagAdmin(ScopedAdmin):
    list_display = ("resident", "tag", "source", "started_on", "ended_on", "assigned_by")
    list_filter = ("tag", "source")
    search_fields = ("resident__name", "resident__name_initials")
    list_select_related = ("resident", "assigned_by")
    readonly_fields = ("resident", "tag", "attributes", "source", "started_on", "ended_on", "assigned_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Transfer)
class TransferAdmin(ScopedAdmin):
    list_display = ("resident", "from_region", "to_region", "status", "requested_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("resident__name",)
    list_select_related = ("resident", "from_region", "to_region")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Transfer._meta.fields]

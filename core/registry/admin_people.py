"""The register's admin for people: residents (with their tags, contacts and tenancies),
households with their members and history, tags and transfers.

Writes go through the services (validation, paths, audit). Personal numbers show masked, and so
do the names of minors; a worker corrects a value by typing the new one in full.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.pii.validators import validate_id_number, validate_mobile
from core.registry import services
from core.registry.admin_writes import (
    RegisterAdmin,
    RegisterInline,
    RegisterReadOnlyAdmin,
    ServiceAdmin,
    TagListFilter,
    add_errors,
)
from core.registry.identity import document_index, mobile_index
from core.registry.minors import is_minor, resident_shown_name
from core.registry.models import (
    Contact,
    Household,
    MembershipChange,
    Resident,
    ResidentTag,
    Tenancy,
    Transfer,
)
from core.registry.services_residents import RESIDENT_INPUT_FIELDS
from core.scoped_admin import RegionListFilter

# --- residents -------------------------------------------------------------------------------

# The service's inputs, less the personal numbers: those are corrected through "new …" fields.
RESIDENT_FORM_FIELDS = tuple(
    f for f in RESIDENT_INPUT_FIELDS if f not in {"document_number", "mobile", "landline"}
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
        # A viewer without the change permission gets a form with no field at all (every field
        # is shown read-only by the admin): nothing here may assume one.
        if "region" in self.fields:
            self.fields["region"].required = False
        # A minor's name shows masked here too; typing a new name in full corrects it.
        self.name_masked = self.instance.pk is not None and is_minor(self.instance.birth_date)
        if self.name_masked and "name" in self.fields:
            self.initial["name"] = resident_shown_name(self.instance)
            self.fields["name"].help_text = _(
                "Shown masked for a minor. Leave it to keep the name; "
                "to correct it, type the new name in full."
            )

    def clean(self):
        cleaned = super().clean()
        if self.name_masked and "name" not in self.changed_data:
            # The masked text must never be written back over the stored name.
            cleaned["name"] = self.instance.name
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


class TagInline(RegisterInline):
    model = ResidentTag
    fk_name = "resident"
    fields = ("tag", "attributes", "source", "started_on", "ended_on", "assigned_by")
    readonly_fields = fields


class ContactInline(RegisterInline):
    model = Contact
    fk_name = "resident"
    fields = ("kind", "shown_name", "relation", "shown_phone")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact_resident")


class TenancyInline(RegisterInline):
    model = Tenancy
    fk_name = "resident"
    fields = ("house", "owner", "starts_on", "ends_on")
    readonly_fields = fields
    ordering = ("-starts_on", "-id")


@admin.register(Resident)
class ResidentAdmin(RegisterAdmin):
    form = ResidentAdminForm
    list_display = (
        "shown_name",
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
    inlines = [TagInline, ContactInline, TenancyInline]

    @admin.display(description=_("name"), ordering="name_pinyin")
    def shown_name(self, obj) -> str:
        return resident_shown_name(obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only, every field is shown from the stored row: the name as shown instead (a
        # minor's masked), and no "new …" inputs.
        shown = {"name": "shown_name", self._masked_names.get("name", "name"): "shown_name"}
        return tuple(
            (
                title,
                {
                    **options,
                    "fields": tuple(
                        shown.get(name, name) for name in options["fields"] if name not in NEW_VALUE_FIELDS
                    ),
                },
            )
            for title, options in fieldsets
        )

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
        # The inlines are read-only (their rows change through their services): nothing to save,
        # but the admin's change message still reads each formset's (empty) lists.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


# --- households ------------------------------------------------------------------------------


class MemberInline(RegisterInline):
    model = Resident
    fk_name = "household"
    fields = ("shown_name", "relation", "document_number_masked", "mobile_masked", "status")
    readonly_fields = fields
    show_change_link = True

    @admin.display(description=_("name"))
    def shown_name(self, obj) -> str:
        return resident_shown_name(obj)


class MembershipChangeInline(RegisterInline):
    model = MembershipChange
    fields = ("happened_on", "kind", "resident", "note", "actor")
    readonly_fields = fields
    ordering = ("-happened_on", "-id")


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


@admin.register(ResidentTag)
class ResidentTagAdmin(RegisterReadOnlyAdmin):
    list_display = ("resident", "tag", "source", "started_on", "ended_on", "assigned_by")
    list_filter = ("tag", "source")
    search_fields = ("resident__name", "resident__name_initials")
    list_select_related = ("resident", "assigned_by")
    readonly_fields = ("resident", "tag", "attributes", "source", "started_on", "ended_on", "assigned_by")


@admin.register(Transfer)
class TransferAdmin(RegisterReadOnlyAdmin):
    list_display = ("resident", "from_region", "to_region", "status", "requested_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("resident__name",)
    list_select_related = ("resident", "from_region", "to_region")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Transfer._meta.fields]

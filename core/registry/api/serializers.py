"""Input and output serializers of the register's API. Outputs carry personal data masked only."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import MaskedDictField, MaskedJSONField, MaskedTextField
from core.api.serializers import StrictSerializer
from core.pii.masking import mask_free_text, mask_free_text_in
from core.registry.facts import resident_facts
from core.registry.minors import resident_shown_name
from core.registry.models import Household, Resident, ResidentTag, Transfer
from core.registry.tags import derived_tags, tag_kinds

StrictInput = StrictSerializer


def optional(field_class, **kwargs):
    return field_class(required=False, **kwargs)


# --- outputs ---------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class ShownNameField(serializers.Field):
    """A resident's name as every output shows it: masked for a minor (full only through reveal)."""

    context_free = True  # core/api/fast_output.py may compile it: it reads only the resident

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, resident) -> str:
        return resident_shown_name(resident)


class PlaceRegionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.IntegerField()


def _age(birth_date, today) -> int | None:
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


class ResidentOutput(serializers.ModelSerializer):
    """A resident as a worker sees them: document and phones masked, a minor's name masked, age
    instead of birth date."""

    registered_address = MaskedTextField(allow_blank=True)
    note = MaskedTextField(allow_blank=True)

    name = ShownNameField(source="*")
    document_number = serializers.CharField(source="document_number_masked")
    mobile = serializers.CharField(source="mobile_masked")
    landline = serializers.CharField(source="landline_masked")
    age = serializers.SerializerMethodField()
    region = PlaceRegionOutput()
    house_address = MaskedTextField(source="house.address", default="")
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = [
            "id",
            "name",
            "sex",
            "age",
            "ethnicity",
            "document_type",
            "document_number",
            "mobile",
            "landline",
            "residence_type",
            "status",
            "household",
            "relation",
            "house",
            "house_address",
            "registered_address",
            "region",
            "region_path",
            "moved_in_on",
            "moved_out_on",
            "deceased_on",
            "tags",
            "note",
            "updated_at",
        ]

    def get_age(self, obj) -> int | None:
        return _age(obj.birth_date, timezone.localdate())

    def get_tags(self, obj) -> list[dict]:
        # Read once a page: the declared kinds, their names in the request's language, today.
        kinds = self.context.get("_tag_kinds")
        if kinds is None:
            kinds = self.context["_tag_kinds"] = tag_kinds()
            self.context["_tag_names"] = {key: str(kind.name) for key, kind in kinds.items()}
            self.context["_tags_today"] = timezone.localdate()
        names = self.context["_tag_names"]
        assigned = getattr(obj, "current_tags", None)
        if assigned is None:
            assigned = list(obj.tags.current())
        out = [
            {
                "key": t.tag,
                "name": names.get(t.tag, t.tag),
                "derived": False,
                "attributes": mask_free_text_in(t.attributes),
            }
            for t in assigned
        ]
        for key in derived_tags(obj.birth_date, self.context["_tags_today"], kinds):
            out.append({"key": key, "name": names[key], "derived": True, "attributes": {}})
        return out


class ResidentDetailOutput(ResidentOutput):
    """A resident's detail: also the facts other parts add, each only for who may see it."""

    facts = serializers.SerializerMethodField()

    class Meta(ResidentOutput.Meta):
        fields = [*ResidentOutput.Meta.fields, "facts"]

    def get_facts(self, obj) -> dict:
        return resident_facts(obj, user=self.context["request"].user)


class RevealOutput(serializers.Serializer):
    name = serializers.CharField(required=False)
    document_number = serializers.CharField(required=False)
    mobile = serializers.CharField(required=False)
    landline = serializers.CharField(required=False)


class HouseholdOutput(serializers.ModelSerializer):
    registered_address = MaskedTextField(allow_blank=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = [
            "id",
            "number",
            "house",
            "registered_address",
            "householder",
            "region",
            "region_path",
            "members",
        ]

    def get_members(self, obj) -> list[dict]:
        members = getattr(obj, "member_list", None)
        if members is None:
            members = list(obj.members.order_by("id"))
        return [
            {"id": m.id, "name": resident_shown_name(m), "relation": m.relation, "status": m.status}
            for m in members
        ]


class ResidentTagOutput(serializers.ModelSerializer):
    attributes = MaskedJSONField()
    assigned_by = serializers.CharField(source="assigned_by.username", default="")

    class Meta:
        model = ResidentTag
        fields = ["id", "resident", "tag", "attributes", "source", "started_on", "ended_on", "assigned_by"]


class TransferOutput(serializers.ModelSerializer):
    reason = MaskedTextField(allow_blank=True)
    decision_note = MaskedTextField(allow_blank=True)
    from_region = PlaceRegionOutput()
    to_region = PlaceRegionOutput()
    resident_name = ShownNameField(source="resident")

    class Meta:
        model = Transfer
        fields = [
            "id",
            "resident",
            "resident_name",
            "from_region",
            "to_region",
            "to_house",
            "status",
            "reason",
            "requested_at",
            "decided_at",
            "decision_note",
        ]


class TimelineEntryOutput(serializers.Serializer):
    date = serializers.DateField()
    at = serializers.DateTimeField(allow_null=True)
    kind = serializers.CharField()
    source = serializers.CharField()
    title = MaskedTextField()
    resident_id = serializers.IntegerField(allow_null=True)
    resident_name = serializers.CharField(allow_blank=True)
    actor = serializers.CharField(allow_blank=True)
    details = MaskedDictField()


class GridWorkerOutput(serializers.Serializer):
    """A grid-worker role (core.accounts RoleAssignment) as the grid's list shows it."""

    user_id = serializers.IntegerField()
    username = serializers.CharField(source="user.username")
    display_name = serializers.SerializerMethodField()
    is_lead = serializers.BooleanField()
    since = serializers.DateField(source="starts_on")

    def get_display_name(self, row) -> str:
        return mask_free_text(row.user.display_name or row.user.get_full_name())


# --- inputs ----------------------------------------------------------------------------------


class ResidentInput(StrictInput):
    name = optional(serializers.CharField, max_length=50)
    document_type = optional(serializers.ChoiceField, choices=Resident.DocumentType.choices)
    document_number = optional(serializers.CharField, max_length=32, allow_blank=True)
    birth_date = optional(serializers.DateField, allow_null=True)
    sex = optional(serializers.ChoiceField, choices=Resident.Sex.choices, allow_blank=True)
    ethnicity = optional(serializers.CharField, max_length=20, allow_blank=True)
    mobile = optional(serializers.CharField, max_length=20, allow_blank=True)
    landline = optional(serializers.CharField, max_length=24, allow_blank=True)
    residence_type = optional(serializers.ChoiceField, choices=Resident.ResidenceType.choices)
    household = optional(serializers.IntegerField, allow_null=True)
    relation = optional(serializers.ChoiceField, choices=Resident.Relation.choices)
    registered_address = optional(serializers.CharField, max_length=255, allow_blank=True)
    house = optional(serializers.IntegerField, allow_null=True)
    region = optional(serializers.IntegerField, allow_null=True)
    moved_in_on = optional(serializers.DateField, allow_null=True)
    note = optional(serializers.CharField, max_length=255, allow_blank=True)


class ResidentCreateInput(ResidentInput):
    name = serializers.CharField(max_length=50)


class MoveInInput(StrictInput):
    house = serializers.IntegerField()
    moved_in_on = serializers.DateField()
    household = optional(serializers.IntegerField, allow_null=True)


class MoveOutInput(StrictInput):
    moved_out_on = serializers.DateField()
    note = optional(serializers.CharField, max_length=255, allow_blank=True)


class DeathInput(StrictInput):
    died_on = serializers.DateField()


class RevealInput(StrictInput):
    # Without `fields`: every value the outputs mask for this resident (a minor's name too).
    FIELDS = ("document_number", "mobile", "landline", "name")

    purpose = serializers.CharField(min_length=2, max_length=255)
    fields = optional(serializers.ListField, child=serializers.ChoiceField(choices=FIELDS), min_length=1)


class TransferRequestInput(StrictInput):
    to_region = serializers.IntegerField()
    reason = optional(serializers.CharField, max_length=255, allow_blank=True)


class TransferCompleteInput(StrictInput):
    house = optional(serializers.IntegerField, allow_null=True)


class TransferRejectInput(StrictInput):
    note = optional(serializers.CharField, max_length=255, allow_blank=True)


class TagAssignInput(StrictInput):
    resident = serializers.IntegerField()
    tag = serializers.CharField(max_length=64)
    attributes = optional(serializers.DictField)
    source = optional(serializers.ChoiceField, choices=ResidentTag.Source.choices)
    started_on = optional(serializers.DateField)


class TagEndInput(StrictInput):
    ended_on = optional(serializers.DateField)


class HouseholdCreateInput(StrictInput):
    house = optional(serializers.IntegerField, allow_null=True)
    region = optional(serializers.IntegerField, allow_null=True)
    number = optional(serializers.CharField, max_length=32, allow_blank=True)
    registered_address = optional(serializers.CharField, max_length=255, allow_blank=True)


class HouseholdUpdateInput(StrictInput):
    house = optional(serializers.IntegerField)
    number = optional(serializers.CharField, max_length=32, allow_blank=True)
    registered_address = optional(serializers.CharField, max_length=255, allow_blank=True)


class MemberAddInput(StrictInput):
    resident = serializers.IntegerField()
    relation = serializers.ChoiceField(choices=Resident.Relation.choices)
    happened_on = optional(serializers.DateField)


class MemberRemoveInput(StrictInput):
    resident = serializers.IntegerField()
    happened_on = optional(serializers.DateField)
    note = optional(serializers.CharField, max_length=255, allow_blank=True)


class HouseholderInput(StrictInput):
    resident = serializers.IntegerField()
    happened_on = optional(serializers.DateField)

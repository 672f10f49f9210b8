"""Inputs and outputs of places and housing: place names, compounds, buildings, houses."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.registry.api.serializers import StrictInput, optional
from core.registry.models import Building, Compound, House, PlaceName, PlaceNameAlias
from core.registry.services_housing import HOUSE_FIELDS

# --- outputs ---------------------------------------------------------------------------------


class PlaceNameAliasOutput(serializers.ModelSerializer):
    note = MaskedTextField(allow_blank=True)

    class Meta:
        model = PlaceNameAlias
        fields = ["id", "name", "kind", "used_from", "used_to", "note", "recorded_at"]


class PlaceNameProposalOutput(serializers.Serializer):
    """What the name becomes once another person approves it."""

    status = serializers.CharField(source="proposed_status")
    standard_name = serializers.CharField(source="proposed_standard_name")
    proposed_by = serializers.IntegerField(source="proposed_by_id", allow_null=True)
    proposed_at = serializers.DateTimeField()


class PlaceNameOutput(serializers.ModelSerializer):
    note = MaskedTextField(allow_blank=True)
    aliases = PlaceNameAliasOutput(many=True, read_only=True)
    proposal = serializers.SerializerMethodField()

    class Meta:
        model = PlaceName
        fields = [
            "id",
            "kind",
            "name",
            "standard_name",
            "pinyin",
            "status",
            "standard_since",
            "national_code",
            "note",
            "proposal",
            "aliases",
            "region",
            "region_path",
        ]

    @extend_schema_field(PlaceNameProposalOutput(allow_null=True))
    def get_proposal(self, obj):
        return PlaceNameProposalOutput(obj).data if obj.has_proposal else None


class CompoundOutput(serializers.ModelSerializer):
    address = MaskedTextField(allow_blank=True)

    class Meta:
        model = Compound
        fields = ["id", "name", "address", "place_name", "region", "region_path"]


class BuildingOutput(serializers.ModelSerializer):
    address = MaskedTextField(allow_blank=True)

    class Meta:
        model = Building
        fields = ["id", "name", "address", "floors", "compound", "place_name", "region", "region_path"]


class HouseOutput(serializers.ModelSerializer):
    address = MaskedTextField(allow_blank=True)

    class Meta:
        model = House
        fields = ["id", *HOUSE_FIELDS, "region", "region_path"]


# --- inputs ----------------------------------------------------------------------------------


class PlaceNameInput(StrictInput):
    region = optional(serializers.IntegerField)
    kind = optional(serializers.ChoiceField, choices=PlaceName.Kind.choices)
    name = optional(serializers.CharField, max_length=100)
    standard_name = optional(serializers.CharField, max_length=100, allow_blank=True)
    status = optional(serializers.ChoiceField, choices=PlaceName.Status.choices)
    note = optional(serializers.CharField, max_length=255, allow_blank=True)
    national_code = optional(serializers.CharField, max_length=24, allow_blank=True)


class PlaceNameCreateInput(PlaceNameInput):
    region = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PlaceName.Kind.choices)
    name = serializers.CharField(max_length=100)


class PlaceNameAliasInput(StrictInput):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=PlaceNameAlias.Kind.choices)
    used_from = optional(serializers.DateField, allow_null=True)
    used_to = optional(serializers.DateField, allow_null=True)
    note = optional(serializers.CharField, max_length=255, allow_blank=True)


class PlaceNameRejectInput(StrictInput):
    reason = serializers.CharField(max_length=255)


class CompoundInput(StrictInput):
    region = optional(serializers.IntegerField)
    name = optional(serializers.CharField, max_length=100)
    address = optional(serializers.CharField, max_length=255, allow_blank=True)
    place_name = optional(serializers.IntegerField, allow_null=True)


class CompoundCreateInput(CompoundInput):
    region = serializers.IntegerField()
    name = serializers.CharField(max_length=100)


class BuildingInput(StrictInput):
    region = optional(serializers.IntegerField)
    name = optional(serializers.CharField, max_length=100)
    address = optional(serializers.CharField, max_length=255, allow_blank=True)
    floors = optional(serializers.IntegerField, min_value=1, max_value=200, allow_null=True)
    compound = optional(serializers.IntegerField, allow_null=True)
    place_name = optional(serializers.IntegerField, allow_null=True)


class BuildingCreateInput(BuildingInput):
    region = serializers.IntegerField()
    name = serializers.CharField(max_length=100)


class HouseInput(StrictInput):
    region = optional(serializers.IntegerField, allow_null=True)
    building = optional(serializers.IntegerField, allow_null=True)
    unit = optional(serializers.IntegerField, allow_null=True)
    number = optional(serializers.CharField, max_length=20, allow_blank=True)
    address = optional(serializers.CharField, max_length=255)
    use = optional(serializers.ChoiceField, choices=House.Use.choices)
    occupancy = optional(serializers.ChoiceField, choices=House.Occupancy.choices)
    owner = optional(serializers.IntegerField, allow_null=True)
    longitude = optional(serializers.DecimalField, max_digits=9, decimal_places=6, allow_null=True)
    latitude = optional(serializers.DecimalField, max_digits=9, decimal_places=6, allow_null=True)


class HouseCreateInput(HouseInput):
    address = serializers.CharField(max_length=255)

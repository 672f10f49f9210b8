"""Inputs and outputs of places and housing: place names, compounds, buildings, houses."""

from __future__ import annotations

from rest_framework import serializers

from core.registry.api.serializers import StrictInput, optional
from core.registry.models import Building, Compound, House, PlaceName
from core.registry.services_housing import HOUSE_FIELDS

# --- outputs ---------------------------------------------------------------------------------


class PlaceNameOutput(serializers.ModelSerializer):
    class Meta:
        model = PlaceName
        fields = ["id", "kind", "name", "standard_name", "status", "note", "region", "region_path"]


class CompoundOutput(serializers.ModelSerializer):
    class Meta:
        model = Compound
        fields = ["id", "name", "address", "place_name", "region", "region_path"]


class BuildingOutput(serializers.ModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "name", "address", "floors", "compound", "place_name", "region", "region_path"]


class HouseOutput(serializers.ModelSerializer):
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


class PlaceNameCreateInput(PlaceNameInput):
    region = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PlaceName.Kind.choices)
    name = serializers.CharField(max_length=100)


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

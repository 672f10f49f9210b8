"""Inputs and outputs of the people linked to a resident: guardians and emergency contacts, and
tenancies (tenant, rented house, owner). Phones leave masked, minors' names too."""

from __future__ import annotations

from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.registry.api.serializers import ShownNameField, StrictInput, optional
from core.registry.models import Contact, Tenancy


class ContactKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Contact.Kind.choices, **kwargs)


class ContactOutput(serializers.ModelSerializer):
    """A linked resident gives the name, and their phone when none was typed for the contact."""

    kind = ContactKindField(read_only=True)
    name = MaskedTextField(source="shown_name")
    relation = MaskedTextField(allow_blank=True)
    phone = serializers.CharField(source="shown_phone")

    class Meta:
        model = Contact
        fields = ["id", "resident", "kind", "contact_resident", "name", "relation", "phone"]


class ContactInput(StrictInput):
    kind = optional(ContactKindField)
    contact_resident = optional(serializers.IntegerField, allow_null=True)
    name = optional(serializers.CharField, max_length=50, allow_blank=True)
    relation = optional(serializers.CharField, max_length=50, allow_blank=True)
    phone = optional(serializers.CharField, max_length=30, allow_blank=True)


class ContactCreateInput(ContactInput):
    kind = ContactKindField()


class ContactRevealInput(StrictInput):
    purpose = serializers.CharField(min_length=2, max_length=255)


class PhoneRevealOutput(serializers.Serializer):
    phone = serializers.CharField()


class TenancyOutput(serializers.ModelSerializer):
    resident_name = ShownNameField(source="resident")
    house_address = MaskedTextField(source="house.address")
    owner_name = ShownNameField(source="owner", allow_null=True)
    is_current = serializers.BooleanField()

    class Meta:
        model = Tenancy
        fields = [
            "id",
            "resident",
            "resident_name",
            "house",
            "house_address",
            "owner",
            "owner_name",
            "starts_on",
            "ends_on",
            "is_current",
        ]


class TenancyStartInput(StrictInput):
    resident = serializers.IntegerField()
    house = serializers.IntegerField()
    starts_on = serializers.DateField()
    owner = optional(serializers.IntegerField, allow_null=True)


class TenancyEndInput(StrictInput):
    ends_on = optional(serializers.DateField)

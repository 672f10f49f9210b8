from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import StrictSerializer
from core.pii.masking import mask_name
from safety.models import CareContact, CareRecipient, KeyPerson, KeyPersonVisit


class ResidentNameField(serializers.CharField):
    """The register's resident, by name masked (the name stays in the register); a string in the schema."""

    def __init__(self, **kwargs):
        super().__init__(source="resident.name", read_only=True, **kwargs)

    def to_representation(self, value):
        return mask_name(value)


class CareRecipientInput(StrictSerializer):
    resident = serializers.IntegerField(min_value=1)
    category = serializers.ChoiceField(choices=CareRecipient.Category.choices)
    contact_every_days = serializers.IntegerField(min_value=1, max_value=90)


class CareRecipientOutput(serializers.ModelSerializer):
    resident_name = ResidentNameField()

    class Meta:
        model = CareRecipient
        fields = [
            "id",
            "resident",
            "resident_name",
            "category",
            "contact_every_days",
            "next_contact_due",
            "ended_on",
            "region",
        ]


class CareContactInput(StrictSerializer):
    way = serializers.ChoiceField(choices=[("visit", "visit"), ("phone", "phone"), ("video", "video")])
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class CareContactOutput(serializers.ModelSerializer):
    note = MaskedTextField(allow_blank=True)
    way = MaskedTextField()

    class Meta:
        model = CareContact
        fields = ["id", "recipient", "contacted_at", "way", "note"]


class KeyPersonInput(StrictSerializer):
    resident = serializers.IntegerField(min_value=1)
    category = serializers.ChoiceField(choices=KeyPerson.Category.choices)
    office = serializers.CharField(max_length=100)
    assigned_worker = serializers.IntegerField(min_value=1)
    liaison = serializers.IntegerField(min_value=1)
    visit_every_days = serializers.IntegerField(min_value=1, max_value=180)
    period_ends_on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class KeyPersonOutput(serializers.ModelSerializer):
    resident_name = ResidentNameField()
    office = MaskedTextField()

    class Meta:
        model = KeyPerson
        fields = [
            "id",
            "resident",
            "resident_name",
            "category",
            "office",
            "assigned_worker",
            "liaison",
            "visit_every_days",
            "next_visit_due",
            "period_ends_on",
            "ended_on",
            "region",
        ]


class KeyPersonDetailOutput(KeyPersonOutput):
    note = MaskedTextField(allow_blank=True)

    class Meta(KeyPersonOutput.Meta):
        fields = [*KeyPersonOutput.Meta.fields, "note"]


class KeyPersonVisitInput(StrictSerializer):
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class KeyPersonVisitOutput(serializers.ModelSerializer):
    note = MaskedTextField(allow_blank=True)

    class Meta:
        model = KeyPersonVisit
        fields = ["id", "person", "visited_at", "note"]

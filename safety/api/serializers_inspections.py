from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import StrictSerializer
from safety.models import ChecklistItem, Finding, HazardKind, InspectionRound, PlaceKind, Severity


class ChecklistItemInput(StrictSerializer):
    kind = serializers.ChoiceField(choices=HazardKind.choices)
    code = serializers.SlugField(max_length=40)
    text = serializers.CharField(max_length=200)
    effective_from = serializers.DateField()


class ChecklistItemEndInput(StrictSerializer):
    effective_to = serializers.DateField()


class ChecklistItemOutput(serializers.ModelSerializer):
    text = MaskedTextField()

    class Meta:
        model = ChecklistItem
        fields = ["id", "kind", "code", "text", "effective_from", "effective_to"]


class InspectionRoundInput(StrictSerializer):
    kind = serializers.ChoiceField(choices=HazardKind.choices)
    place_kind = serializers.ChoiceField(choices=PlaceKind.choices)
    house = serializers.IntegerField(min_value=1, required=False)
    grid = serializers.IntegerField(min_value=1, required=False)
    place_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class InspectionRoundOutput(serializers.ModelSerializer):
    place_name = MaskedTextField(allow_blank=True)

    class Meta:
        model = InspectionRound
        fields = ["id", "kind", "place_kind", "house", "place_name", "region", "inspector", "inspected_on"]


class FindingInput(StrictSerializer):
    round = serializers.IntegerField(min_value=1)
    item = serializers.SlugField(max_length=40)
    severity = serializers.ChoiceField(choices=Severity.choices)
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    photo = serializers.FileField(required=False)


class ReinspectionInput(StrictSerializer):
    rectified = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    photo = serializers.FileField(required=False)


class FindingOutput(serializers.ModelSerializer):
    item = MaskedTextField(source="item.code")
    note = MaskedTextField(allow_blank=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "round",
            "item",
            "kind",
            "severity",
            "note",
            "status",
            "deadline",
            "event",
            "repeat",
            "rectified_at",
            "reinspections",
            "region",
            "created_at",
        ]

"""Input and output of the publicity list (公示): names masked, no ID or phone numbers, the
building without the room."""

from __future__ import annotations

from rest_framework import serializers

from affairs.api.serializers import service_item_brief
from affairs.models import Application
from core.api.serializers import StrictSerializer
from core.pii.masking import mask_name


def building_of(application: Application) -> str:
    """The household's building (compound and building name), never the room: 公示 is public."""
    house = application.household.house
    building = house.building if house is not None else None
    return str(building) if building is not None else ""


class PublicityOutput(serializers.ModelSerializer):
    item = serializers.SerializerMethodField()
    applicant_name = serializers.SerializerMethodField()
    building = serializers.SerializerMethodField()
    covered_members = serializers.IntegerField(source="covered_count", read_only=True)
    monthly_amount = serializers.SerializerMethodField()
    one_off_amount = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "item",
            "applicant_name",
            "building",
            "covered_members",
            "monthly_amount",
            "one_off_amount",
            "publicity_starts_on",
            "publicity_ends_on",
        ]

    def get_item(self, application) -> dict:
        return service_item_brief(application)

    def get_applicant_name(self, application) -> str:
        return mask_name(application.applicant.name)

    def get_building(self, application) -> str:
        return building_of(application)

    def get_monthly_amount(self, application) -> str | None:
        value = application.monthly_amount or (application.eligibility or {}).get("monthly_amount")
        return None if value is None else str(value)

    def get_one_off_amount(self, application) -> str | None:
        value = application.one_off_amount or (application.eligibility or {}).get("one_off_amount")
        return None if value is None else str(value)


class PublicObjectionInput(StrictSerializer):
    """An objection raised by a resident of the community, online."""

    content = serializers.CharField(max_length=2000)

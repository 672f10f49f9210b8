"""Input and output of the benefits: amounts shown, names masked."""

from __future__ import annotations

from rest_framework import serializers

from affairs.api.serializers import service_item_brief
from affairs.models import Benefit
from core.api.fields import MaskedTextField
from core.api.serializers import StrictSerializer
from core.pii.masking import mask_name


class BenefitOutput(serializers.ModelSerializer):
    end_note = MaskedTextField(allow_blank=True)
    item = serializers.SerializerMethodField()
    resident_name = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = Benefit
        fields = [
            "id",
            "item",
            "application",
            "resident",
            "resident_name",
            "household",
            "monthly_amount",
            "started_on",
            "ended_on",
            "end_reason",
            "end_note",
            "next_check_on",
            "in_force",
        ]

    def get_item(self, benefit) -> dict:
        return service_item_brief(benefit)

    def get_resident_name(self, benefit) -> str:
        return mask_name(benefit.resident.name)

    def get_in_force(self, benefit) -> bool:
        today = self.context["today"]
        return benefit.started_on <= today and (benefit.ended_on is None or benefit.ended_on > today)


class BenefitEndInput(StrictSerializer):
    # Death and moving out end benefits through the register (affairs reacts to them).
    reason = serializers.ChoiceField(choices=[Benefit.EndReason.LAPSED, Benefit.EndReason.REVOKED])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)

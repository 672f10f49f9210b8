"""Inputs and outputs of co-building: units with their resources, community needs."""

from __future__ import annotations

from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import IdField, StrictSerializer
from governance.models import Need


class ResourceInput(StrictSerializer):
    title = serializers.CharField(max_length=200)
    category = serializers.CharField(max_length=50, help_text="venue, volunteers, funds, expertise…")


class UnitInput(StrictSerializer):
    region = IdField(help_text="the community or street the unit works with")
    name = serializers.CharField(max_length=200)
    kind = serializers.CharField(max_length=50, help_text="e.g. 机关, 国企, 学校, 医院, 驻区企业")
    agreement_on = serializers.DateField(required=False, allow_null=True, default=None)
    resources = ResourceInput(many=True, required=False, default=list, max_length=50)


class ResourceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = MaskedTextField()
    category = serializers.CharField()
    available = serializers.BooleanField()


class UnitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.IntegerField(source="region_id")
    name = MaskedTextField()
    kind = serializers.CharField()
    agreement_on = serializers.DateField(allow_null=True)
    resources = ResourceOutput(many=True)


class NeedInput(StrictSerializer):
    community = IdField()
    title = serializers.CharField(max_length=200)
    topic = IdField(required=False, allow_null=True, default=None, help_text="the deliberation it came from")


class MatchInput(StrictSerializer):
    resource = IdField()


class CloseInput(StrictSerializer):
    met = serializers.BooleanField()
    outcome = serializers.CharField(max_length=2000)


class NeedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.IntegerField(source="region_id")
    title = MaskedTextField()
    topic = serializers.IntegerField(source="topic_id", allow_null=True)
    resource = serializers.IntegerField(source="resource_id", allow_null=True)
    status = serializers.ChoiceField(choices=Need.Status.choices)
    outcome = MaskedTextField()

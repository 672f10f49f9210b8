import json

from rest_framework import serializers

from core.api.fields import MaskedJSONField, MaskedTextField
from core.api.serializers import StrictSerializer
from core.pii.masking import mask_name, mask_phone
from safety.models import Drill, EmergencyPlan, EmergencyResource, Incident, IncidentReceipt


class ContactInput(StrictSerializer):
    name = serializers.CharField(max_length=50)
    phone = serializers.RegexField(r"^[0-9+\-]{5,20}$")
    duty = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class ResourceInput(StrictSerializer):
    name = serializers.CharField(max_length=100)
    quantity = serializers.IntegerField(min_value=0)
    unit = serializers.CharField(max_length=20)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EmergencyPlanInput(StrictSerializer):
    community = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200)
    hazard = serializers.CharField(max_length=40)
    effective_from = serializers.DateField()
    contacts = ContactInput(many=True, required=False, default=list)
    resources = ResourceInput(many=True, required=False, default=list)


class EmergencyResourceOutput(serializers.ModelSerializer):
    name = MaskedTextField()
    unit = MaskedTextField()
    location = MaskedTextField(allow_blank=True)

    class Meta:
        model = EmergencyResource
        fields = ["id", "name", "quantity", "unit", "location"]


class EmergencyPlanOutput(serializers.ModelSerializer):
    title = MaskedTextField()
    hazard = MaskedTextField()
    contacts = serializers.SerializerMethodField()
    resources = EmergencyResourceOutput(many=True)

    class Meta:
        model = EmergencyPlan
        fields = ["id", "title", "hazard", "region", "effective_from", "contacts", "resources"]

    def get_contacts(self, obj) -> list[dict]:
        rows = json.loads(obj.contacts or "[]")
        return [
            {"name": mask_name(row["name"]), "phone": mask_phone(row["phone"]), "duty": row.get("duty", "")}
            for row in rows
        ]


class DrillInput(StrictSerializer):
    plan = serializers.IntegerField(min_value=1)
    held_on = serializers.DateField()
    participants = serializers.IntegerField(min_value=0)
    findings = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)


class DrillOutput(serializers.ModelSerializer):
    findings = MaskedTextField(allow_blank=True)

    class Meta:
        model = Drill
        fields = ["id", "plan", "held_on", "participants", "findings", "region"]


class IncidentInput(StrictSerializer):
    region = serializers.IntegerField(min_value=1)
    roles = serializers.ListField(child=serializers.CharField(max_length=64), min_length=1, max_length=10)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    reminder_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60, required=False)


class IncidentOutput(serializers.ModelSerializer):
    title = MaskedTextField()
    body = MaskedTextField(allow_blank=True)
    roles = MaskedJSONField()
    addressed = serializers.IntegerField(read_only=True, default=None)
    acknowledged = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Incident
        fields = [
            "id",
            "title",
            "body",
            "region",
            "roles",
            "reminder_minutes",
            "sent_by",
            "created_at",
            "remind_at",
            "reminded_at",
            "addressed",
            "acknowledged",
        ]


class IncidentDetailOutput(IncidentOutput):
    not_acknowledged = serializers.SerializerMethodField()

    class Meta(IncidentOutput.Meta):
        fields = [*IncidentOutput.Meta.fields, "not_acknowledged"]

    def get_not_acknowledged(self, obj) -> list[dict]:
        rows = obj.receipts.filter(acknowledged_at__isnull=True).select_related("user").order_by("user_id")
        return [{"user": row.user_id, "username": row.user.get_username()} for row in rows]


class IncidentReceiptOutput(serializers.ModelSerializer):
    title = MaskedTextField(source="incident.title")

    class Meta:
        model = IncidentReceipt
        fields = ["id", "incident", "title", "acknowledged_at", "created_at"]

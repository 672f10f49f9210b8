from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import IdField, StrictSerializer


class ChildRecordOutput(serializers.Serializer):
    id = serializers.IntegerField()
    resident = serializers.IntegerField(source="resident_id")
    name = serializers.SerializerMethodField()
    category = serializers.CharField()
    state = serializers.CharField()
    next_visit_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    closing_note = MaskedTextField(allow_blank=True)  # typed by the worker who closed the record
    region_path = serializers.CharField()

    def get_name(self, obj) -> str:
        from core.registry.minors import resident_shown_name

        return resident_shown_name(obj.resident)


class ChildRecordInput(StrictSerializer):
    resident = IdField()
    category = serializers.ChoiceField(choices=["in_difficulty", "orphan", "unattended"])


class ChildReportInput(StrictSerializer):
    child = IdField()
    kind = serializers.ChoiceField(choices=["abuse", "danger", "at_risk"])
    summary = serializers.CharField(max_length=500)


class ChildReportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    child = serializers.IntegerField(source="child_id")
    kind = serializers.CharField()
    level = serializers.IntegerField()
    due_at = serializers.DateTimeField()
    taken_at = serializers.DateTimeField(allow_null=True)
    event = serializers.IntegerField(source="event_id", allow_null=True)
    region_path = serializers.CharField()

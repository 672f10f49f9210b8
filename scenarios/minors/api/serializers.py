from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.api.serializers import IdField, StrictSerializer
from core.registry.api.serializers_relations import ContactOutput


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
    # The register's guardians of the child (core.registry's contacts of kind guardian), masked as
    # the register masks them; the full phone only through reveal-guardian (the register's reveal).
    guardians = ContactOutput(source="resident.guardians", many=True, read_only=True)
    guardian_missing = serializers.SerializerMethodField()

    def get_name(self, obj) -> str:
        from core.registry.minors import resident_shown_name

        return resident_shown_name(obj.resident)

    def get_guardian_missing(self, obj) -> bool:
        """No 监护人 (or 委托照护人 recorded as a guardian) on record: the network must find one."""
        return not obj.resident.guardians


class ChildRecordInput(StrictSerializer):
    resident = IdField()
    category = serializers.ChoiceField(choices=["in_difficulty", "orphan", "unattended"])


class GuardianRevealInput(StrictSerializer):
    guardian = IdField()  # one of the child's guardians (its id in `guardians`)
    purpose = serializers.CharField(min_length=2, max_length=255)


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

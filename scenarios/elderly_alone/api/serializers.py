from rest_framework import serializers

from core.api.serializers import StrictSerializer


class CareCaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    resident = serializers.IntegerField(source="resident_id")
    signal = serializers.CharField()
    detail = serializers.CharField()
    source = serializers.CharField()
    device = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    step = serializers.CharField()
    step_due_at = serializers.DateTimeField()
    state = serializers.CharField()
    outcome = serializers.CharField()
    reason = serializers.CharField()
    settings_versions = serializers.ListField(child=serializers.IntegerField())
    region_path = serializers.CharField()


class CareCaseCloseInput(StrictSerializer):
    outcome = serializers.ChoiceField(choices=["helped", "fine", "false_alarm"])
    reason = serializers.CharField(max_length=200)

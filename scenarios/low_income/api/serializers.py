from rest_framework import serializers

from core.api.serializers import StrictSerializer


class RiskFlagOutput(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    record = serializers.IntegerField(source="record_id")
    record_kind = serializers.CharField(source="record.kind")
    office = serializers.CharField(source="record.office")
    reference = serializers.CharField(source="record.reference")
    household = serializers.IntegerField(source="household_id", allow_null=True)
    resident = serializers.IntegerField(source="resident_id")
    threshold = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    settings_versions = serializers.ListField(child=serializers.IntegerField())
    grace_until = serializers.DateField(allow_null=True)
    event = serializers.IntegerField(source="event_id", allow_null=True)
    region_path = serializers.CharField()
    created_at = serializers.DateTimeField()


class RiskFlagCloseInput(StrictSerializer):
    note = serializers.CharField(max_length=500)


class OfficeRecordOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    office = serializers.CharField()
    reference = serializers.CharField()
    resident = serializers.IntegerField(source="resident_id")
    household = serializers.IntegerField(source="household_id", allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    from_work = serializers.BooleanField()
    occurred_on = serializers.DateField()
    via = serializers.CharField()
    region_path = serializers.CharField()


class OfficeRecordImportInput(StrictSerializer):
    office = serializers.CharField(max_length=64)
    file = serializers.FileField()


class OfficeRecordPushInput(StrictSerializer):
    office = serializers.CharField(max_length=64)
    records = serializers.ListField(child=serializers.DictField(), allow_empty=False, max_length=1000)


class RecordsOutcomeOutput(serializers.Serializer):
    added = serializers.IntegerField()
    known = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField())

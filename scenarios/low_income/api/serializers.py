from rest_framework import serializers

from core.api.fields import MaskedDictField
from core.api.serializers import StrictSerializer
from scenarios.low_income.models import OfficeRecord
from scenarios.low_income.rules import RULES_BY_KEY


class RiskFlagOutput(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.ChoiceField(choices=list(RULES_BY_KEY))
    kind = serializers.CharField()
    state = serializers.CharField()
    record = serializers.IntegerField(source="record_id")
    record_kind = serializers.ChoiceField(source="record.kind", choices=OfficeRecord.Kind.choices)
    office = serializers.CharField(source="record.office", help_text="the office that sent the record")
    reference = serializers.CharField(source="record.reference", help_text="the office's record number")
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
    office = serializers.CharField(help_text="the office that sent the record")
    reference = serializers.CharField(help_text="the office's record number")
    resident = serializers.IntegerField(source="resident_id")
    household = serializers.IntegerField(source="household_id", allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    from_work = serializers.BooleanField()
    occurred_on = serializers.DateField()
    via = serializers.ChoiceField(choices=OfficeRecord.Via.choices)
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
    errors = serializers.ListField(child=MaskedDictField())  # {"row": n, "message": why it was refused}

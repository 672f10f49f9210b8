from rest_framework import serializers

from core.api.serializers import IdField, StrictSerializer
from scenarios.extreme_weather.models import LEVELS, WeatherWarning


class WeatherWarningInput(StrictSerializer):
    region = IdField()
    kind = serializers.ChoiceField(choices=WeatherWarning.Kind.choices)
    level = serializers.ChoiceField(choices=LEVELS)
    valid_until = serializers.DateTimeField()
    valid_from = serializers.DateTimeField(required=False)


class WeatherWarningPushInput(StrictSerializer):
    region_code = serializers.CharField(max_length=12)
    reference = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=WeatherWarning.Kind.choices)
    level = serializers.ChoiceField(choices=LEVELS)
    valid_until = serializers.DateTimeField()
    valid_from = serializers.DateTimeField(required=False)


class WeatherWarningOutput(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.IntegerField(source="region_id")
    region_path = serializers.CharField()
    kind = serializers.CharField()
    level = serializers.CharField()
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()
    source = serializers.CharField()
    reference = serializers.CharField()
    state = serializers.CharField()
    settings_versions = serializers.ListField(child=serializers.IntegerField())


class WeatherReportOutput(serializers.Serializer):
    warning = serializers.IntegerField()
    state = serializers.CharField()
    visits = serializers.IntegerField()
    reached = serializers.IntegerField()
    not_reached = serializers.ListField(child=serializers.DictField())


class CareVisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    warning = serializers.IntegerField(source="warning_id")
    kind = serializers.CharField()
    resident = serializers.IntegerField(source="resident_id", allow_null=True)
    tags = serializers.CharField()
    event = serializers.IntegerField(source="event_id", allow_null=True)
    reached_at = serializers.DateTimeField(allow_null=True)
    region_path = serializers.CharField()


class CareVisitReachInput(StrictSerializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)

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
    level = serializers.ChoiceField(choices=WeatherWarning.Level.choices)
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()
    source = serializers.CharField()
    reference = serializers.CharField(help_text="the feed's warning number; empty: set by staff")
    state = serializers.CharField()
    settings_versions = serializers.ListField(child=serializers.IntegerField())


class NotReachedOutput(serializers.Serializer):
    visit = serializers.IntegerField()
    resident = serializers.IntegerField(allow_null=True)
    name = serializers.CharField(help_text="the resident's name as shown to the caller")
    tags = serializers.CharField(help_text="the care tags (codes) that called for the visit, comma-separated")


class WeatherReportOutput(serializers.Serializer):
    warning = serializers.IntegerField()
    state = serializers.CharField()
    visits = serializers.IntegerField()
    reached = serializers.IntegerField()
    not_reached = NotReachedOutput(many=True)


class CareVisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    warning = serializers.IntegerField(source="warning_id")
    kind = serializers.CharField()
    resident = serializers.IntegerField(source="resident_id", allow_null=True)
    tags = serializers.CharField(help_text="the care tags (codes) that called for the visit, comma-separated")
    event = serializers.IntegerField(source="event_id", allow_null=True)
    reached_at = serializers.DateTimeField(allow_null=True)
    region_path = serializers.CharField()


class CareVisitReachInput(StrictSerializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
